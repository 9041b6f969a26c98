import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));
const server = fileURLToPath(new URL('./apps/server/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources, never a stale build.
    alias: [
      { find: /^@tidings\/server$/, replacement: server },
      { find: /^@tidings\/([a-z-]+)$/, replacement: `${packages}$1/src/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
