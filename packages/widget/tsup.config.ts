import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig([
  // The library (types, for bundlers that import the element class).
  packageBuild(),
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
  },
]);
