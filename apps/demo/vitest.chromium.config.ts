import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.ts';

// The report and view tests in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core); run by .ci/run's demo-web lane: `vitest run --config vitest.chromium.config.ts`.
const shared = packageTestConfig();
export default defineConfig({ ...shared, test: { ...shared.test, include: ['test/chromium/**/*.test.ts'] } });
