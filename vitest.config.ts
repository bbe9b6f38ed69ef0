// Vitest: every test under test/ (mirroring sim/ and protocols/); benchmarks in test/bench/ are
// scripts run by `npm run bench`, not tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
  },
});
