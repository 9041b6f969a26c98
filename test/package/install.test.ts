// The packages as npm users get them: each one packed by pnpm (which rewrites `workspace:*`),
// installed with npm from the tarballs into a throwaway project outside the workspace (so nothing
// resolves from the monorepo; third-party dependencies come from the npm registry), then used from
// CommonJS, from ESM, from TypeScript (types from the tarballs), through the installed `tidings` bin,
// and the widget's embed script by its subpath. Needs `pnpm build` first, as `pnpm test` does.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, PUBLISHED, packAll, ROOT } from '../../scripts/pack-check.js';
import { plainEnv } from '../support/plain-env.js';

const exec = promisify(execFile);

const PAGE_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/index.html';
const FIRST_TITLE = '我市基础教育扩优提质高质量发展';
const FIXTURE = join(ROOT, 'test/fixtures/jy.tj.gov.cn/JYXW/TJJY/index.html');
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const TIMEOUT = 240_000;
const ROOT_DEV_DEPENDENCIES = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies;

let work: string;
let project: string;
let packed: PackedPackage[];

async function inProject(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(command, args, {
    cwd: project,
    env: plainEnv(),
    maxBuffer: 64 * 1024 * 1024,
    timeout: TIMEOUT,
  });
}

/** Runs a command in the project; on failure the error carries its output. */
async function runInProject(command: string, args: string[]): Promise<string> {
  try {
    return (await inProject(command, args)).stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

const CJS_SCRIPT = `const { readFileSync } = require('node:fs');
const { parseListing } = require('@tidings/parser');
const { renderFeed } = require('@tidings/feeds');

const listing = parseListing(readFileSync('index.html'), { url: '${PAGE_URL}' });
const rss = renderFeed({ title: listing.source.name, homeUrl: listing.source.url }, listing.articles, 'rss');
console.log(JSON.stringify({
  articles: listing.articles.length,
  first: listing.articles[0].title,
  rss,
  resolved: [require.resolve('@tidings/parser'), require.resolve('@tidings/feeds')],
}));
`;

const ESM_SCRIPT = `import { readFileSync } from 'node:fs';
import { parseListing } from '@tidings/parser';
import { renderFeed } from '@tidings/feeds';

const listing = parseListing(readFileSync('index.html'), { url: '${PAGE_URL}' });
const rss = renderFeed({ title: listing.source.name, homeUrl: listing.source.url }, listing.articles, 'rss');
console.log(JSON.stringify({
  articles: listing.articles.length,
  first: listing.articles[0].title,
  rss,
  resolved: [import.meta.resolve('@tidings/parser'), import.meta.resolve('@tidings/feeds')],
}));
`;

/** The libraries' types, which must need neither Node's types nor skipLibCheck. */
const LIBRARY_TYPES = `import { FEED_CONTENT_TYPES, type FeedChannel, type FeedFormat, renderFeed } from '@tidings/feeds';
import { Fetcher, FetchError, type FetchResult } from '@tidings/fetch';
import { type Article, type ListingResult, parseListing, TidingsError } from '@tidings/parser';
import { defineTidingsFeed, type TidingsFeedElement, type TidingsLoadDetail } from '@tidings/widget';
import '@tidings/widget/widget.js';

declare const bytes: Uint8Array;

const listing: ListingResult = parseListing(bytes, { url: '${PAGE_URL}' });
const first: Article | undefined = listing.articles[0];
const title: string | undefined = first?.title;
const channel: FeedChannel = { title: 'Tidings', homeUrl: 'https://example.org/' };
const format: FeedFormat = 'atom';
const body: string = renderFeed(channel, listing.articles, format);
const contentType: string = FEED_CONTENT_TYPES.rss;
// @ts-expect-error the types are real, not any: there is no yaml feed
renderFeed(channel, listing.articles, 'yaml');
// @ts-expect-error a channel needs a homeUrl
const incomplete: FeedChannel = { title: 'Tidings' };

const fetcher = new Fetcher();
async function get(url: string): Promise<FetchResult> {
  try {
    return await fetcher.fetch(url);
  } catch (error) {
    if (error instanceof FetchError || error instanceof TidingsError) throw error;
    throw new Error('unexpected');
  }
}

const define: (name?: string) => CustomElementConstructor | undefined = defineTidingsFeed;
const element: TidingsFeedElement | null = document.querySelector('tidings-feed');
const loaded = (detail: TidingsLoadDetail): number => detail.items;

export { body, contentType, define, element, get, incomplete, loaded, title };
`;

/** The CLI's programmatic API: its Io speaks Node's Buffer, so this is checked with `types: ["node"]`. */
const CLI_TYPES = `import { EXIT, type Io, run } from '@tidings/cli';

const io: Io = { stdout: (text) => void text, stderr: (text) => void text };
const code: Promise<number> = run(['--help'], io);
const ok: 0 = EXIT.ok;
// @ts-expect-error the types are real, not any
run('--help', io);

export { code, ok };
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tidings-install-'));
  const packs = join(work, 'packs');
  project = join(work, 'project');
  mkdirSync(packs);
  mkdirSync(project);
  packed = await packAll(packs);

  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'tidings-install-check', version: '0.0.0', private: true }, null, 2)}\n`,
  );
  copyFileSync(FIXTURE, join(project, 'index.html'));
  writeFileSync(join(project, 'cjs.cjs'), CJS_SCRIPT);
  writeFileSync(join(project, 'esm.mjs'), ESM_SCRIPT);
  // The project has no "type": a .ts file is CommonJS (require, .d.cts types), a .mts file ESM.
  writeFileSync(join(project, 'library.ts'), LIBRARY_TYPES);
  writeFileSync(join(project, 'library.mts'), LIBRARY_TYPES);
  writeFileSync(join(project, 'cli.ts'), CLI_TYPES);
  writeFileSync(join(project, 'cli.mts'), CLI_TYPES);
  writeFileSync(
    join(project, 'widget.cjs'),
    `// The embed defines <tidings-feed>; in Node, where there are no custom elements, it does nothing.
const script = require.resolve('@tidings/widget/widget.js');
require('@tidings/widget/widget.js');
console.log(JSON.stringify({ script, library: typeof require('@tidings/widget').defineTidingsFeed }));
`,
  );
  writeFileSync(
    join(project, 'widget.mjs'),
    `import '@tidings/widget/widget.js';
import { defineTidingsFeed } from '@tidings/widget';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(import.meta.resolve('@tidings/widget/widget.js'));
console.log(JSON.stringify({ script, library: typeof defineTidingsFeed }));
`,
  );

  await runInProject('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts=false',
    ...packed.map((pkg) => pkg.tarball),
    // What a Node project written in TypeScript has; only the CLI check below opts in to it.
    `@types/node@${ROOT_DEV_DEPENDENCIES['@types/node']}`,
  ]);
}, TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface ScriptOutput {
  articles: number;
  first: string;
  rss: string;
  resolved: string[];
}

describe('the packed packages, installed from their tarballs with npm', () => {
  it('installed every package from its tarball, with workspace: ranges rewritten', () => {
    expect(packed.map((pkg) => pkg.name)).toEqual(PUBLISHED.map((folder) => `@tidings/${folder}`));
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<
        string,
        { version?: string; resolved?: string; dependencies?: Record<string, string> }
      >;
    };
    for (const pkg of packed) {
      const entry = lock.packages[`node_modules/${pkg.name}`];
      expect(entry?.version, pkg.name).toBe(pkg.version);
      // From our tarball, not from the registry; and no second copy nested anywhere.
      expect(entry?.resolved, pkg.name).toMatch(/^file:/);
      for (const [path, dependency] of Object.entries(lock.packages)) {
        if (path.endsWith(`/node_modules/${pkg.name}`))
          throw new Error(`nested copy at ${path}: ${dependency.resolved}`);
      }
      for (const range of Object.values(entry?.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
    }
    expect(lock.packages['node_modules/@tidings/cli']?.dependencies).toMatchObject({
      '@tidings/parser': packed.find((pkg) => pkg.name === '@tidings/parser')?.version,
      '@tidings/feeds': packed.find((pkg) => pkg.name === '@tidings/feeds')?.version,
      '@tidings/fetch': packed.find((pkg) => pkg.name === '@tidings/fetch')?.version,
    });
  });

  it('works from CommonJS: require() gets the .cjs build, parses the page and renders RSS', async () => {
    const output = JSON.parse(await runInProject('node', ['cjs.cjs'])) as ScriptOutput;
    expect(output.articles).toBe(15);
    expect(output.first).toBe(FIRST_TITLE);
    expect(output.rss).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<rss version="2.0"/);
    expect(output.rss).toContain(`<title>${FIRST_TITLE}</title>`);
    for (const file of output.resolved) {
      expect(file.startsWith(join(project, 'node_modules', '@tidings'))).toBe(true);
      expect(file).toMatch(/dist\/index\.cjs$/);
    }
  });

  it('works from ESM: import gets the ESM build, parses the page and renders RSS', async () => {
    const output = JSON.parse(await runInProject('node', ['esm.mjs'])) as ScriptOutput;
    expect(output.articles).toBe(15);
    expect(output.first).toBe(FIRST_TITLE);
    expect(output.rss).toContain(`<title>${FIRST_TITLE}</title>`);
    for (const url of output.resolved) {
      expect(url.startsWith(`file://${join(project, 'node_modules', '@tidings')}`)).toBe(true);
      expect(url).toMatch(/dist\/index\.js$/);
    }
  });

  // Each file in its own program: one program that loads @tidings/widget both as CommonJS and as
  // ESM sees its global HTMLElementTagNameMap augmentation twice, with two different classes.
  it.each([
    ['the libraries, as CommonJS', 'library.ts', []],
    ['the libraries, as ESM', 'library.mts', []],
    ['the CLI API, as CommonJS', 'cli.ts', []],
    ['the CLI API, as ESM', 'cli.mts', []],
  ])(
    'type-checks %s (tsc nodenext, strict, no skipLibCheck) with the types from the tarballs',
    async (_, file, extra) => {
      const args = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--strict', '--noEmit'];
      const checked = await inProject(TSC, [
        ...args,
        '--noUncheckedSideEffectImports',
        ...extra,
        '--listFiles',
        file,
      ]).catch((error: { stdout?: string; message: string }) => {
        throw new Error(`tsc ${file} failed:\n${error.stdout ?? error.message}`);
      });
      const declarations = checked.stdout.split('\n').filter((line) => line.includes('/@tidings/'));
      // Every declaration came from the install, in the flavour the importing file's format asks for.
      const extension = file.endsWith('.mts') ? '.d.ts' : '.d.cts';
      const names = file.startsWith('cli') ? ['cli'] : ['parser', 'feeds', 'fetch', 'widget'];
      for (const name of names) {
        expect(declarations).toContain(join(project, `node_modules/@tidings/${name}/dist/index${extension}`));
      }
      if (!file.startsWith('cli')) {
        expect(declarations).toContain(join(project, `node_modules/@tidings/widget/dist/widget${extension}`));
      }
      expect(declarations.every((line) => line.startsWith(join(project, 'node_modules/@tidings/')))).toBe(
        true,
      );
      const otherFlavour = extension === '.d.ts' ? '.d.cts' : '.d.ts';
      expect(declarations.filter((line) => line.endsWith(otherFlavour))).toEqual([]);
    },
  );

  it('runs the installed `tidings` bin with npx', async () => {
    const help = await runInProject('npx', ['--no', '--', 'tidings', '--help']);
    expect(help).toContain('tidings parse');
    const output = JSON.parse(
      await runInProject('npx', ['--no', '--', 'tidings', 'parse', 'index.html', '--url', PAGE_URL]),
    ) as {
      articles: { title: string }[];
    };
    expect(output.articles).toHaveLength(15);
    expect(output.articles[0]?.title).toBe(FIRST_TITLE);
  });

  it('exposes the widget embed script as @tidings/widget/widget.js, for import and require', async () => {
    const required = JSON.parse(await runInProject('node', ['widget.cjs'])) as {
      script: string;
      library: string;
    };
    const imported = JSON.parse(await runInProject('node', ['widget.mjs'])) as {
      script: string;
      library: string;
    };
    const installed = join(project, 'node_modules/@tidings/widget/dist');
    expect(required.script).toBe(join(installed, 'widget.cjs'));
    expect(imported.script).toBe(join(installed, 'widget.js'));
    // Both are the script the server serves as /widget.js, byte for byte.
    const built = readFileSync(join(ROOT, 'packages/widget/dist/widget.js'));
    expect(readFileSync(required.script).equals(built)).toBe(true);
    expect(readFileSync(imported.script).equals(built)).toBe(true);
    expect(required.library).toBe('function');
    expect(imported.library).toBe('function');
    expect(existsSync(join(project, 'node_modules/@tidings/widget/LICENSE'))).toBe(true);
  });
});
