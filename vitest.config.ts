import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    // beforeAll hooks that run the CLI twice need more than the 10 s default on a loaded machine.
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one file fewer than the cores: on a 2-core CI machine, one file at a time.
    // Most files wait on child processes (the CLI, Chromium, the fake AWS endpoints), so two at once
    // halve the run there: 549 s → 281 s for the whole suite on an idle 2-core machine.
    maxWorkers: Math.max(2, availableParallelism()),
    globalSetup: ['test/global-setup.ts'],
    // The AWS SDK's Node 20 maintenance notice is for operators; keep test output about tests.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
