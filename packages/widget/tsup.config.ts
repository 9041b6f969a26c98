import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig([
  // The library (types, for bundlers that import the element class), plus the declarations of the
  // embed below (a module with no exports), so that `import '@tidings/widget/widget.js'` type-checks.
  { ...packageBuild(), dts: { entry: { index: 'src/index.ts', widget: 'src/embed.ts' } } },
  // The embed: one minified script that defines <tidings-feed>, served as /widget.js.
  {
    entry: { widget: 'src/embed.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    minify: true,
    sourcemap: false,
    clean: false,
    target: 'es2020',
    platform: 'browser',
    // The same classic script for require() (the package is "type": "module", so a .js file is ESM
    // to Node, and Node before 20.19 cannot require ESM): byte for byte the served /widget.js.
    onSuccess: async () => copyFileSync('dist/widget.js', 'dist/widget.cjs'),
  },
]);
