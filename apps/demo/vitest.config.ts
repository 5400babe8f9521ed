import { defineConfig, mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.ts';

// `pnpm test` runs everything that needs only Node. The tests that open the report and the
// view in headless Chromium (test/chromium/) need /usr/bin/chromium: .ci/run runs them in its
// demo-web lane after installing it (vitest.chromium.config.ts).
export default mergeConfig(
  packageTestConfig(),
  defineConfig({ test: { exclude: ['test/chromium/**', 'node_modules/**'] } }),
);
