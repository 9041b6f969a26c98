import type { Options } from 'tsup';

/** Every package builds the same way: ESM + CJS + .d.ts for its public entry, for Node 20. */
export function packageBuild(entry: string[] = ['src/index.ts']): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: { entry: 'src/index.ts' },
    sourcemap: true,
    clean: true,
    target: 'node20',
    // import.meta.url in the CJS build (the server finds its bundled config with it).
    shims: true,
  };
}
