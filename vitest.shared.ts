// The test run every package shares: `test/**/*.test.ts`, each file in its own forked process
// (a backend and its compiled kernels are process-wide state), with time for kernel compilation.
import { defineConfig } from 'vitest/config';

export function packageTestConfig() {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
    },
  });
}
