// The API reference (`pnpm docs`, typedoc.json) builds from the five packages' sources with no
// warning (treatWarningsAsErrors), so it cannot rot: an undocumented export that a public signature
// needs, a broken {@link}, a bad source link fail here. Rendered into a temporary folder, not docs/api.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLISHED, ROOT } from '../../scripts/pack-check.js';

const exec = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'tidings-typedoc-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the API reference (TypeDoc)', () => {
  it('builds from typedoc.json without a warning, one module per published package', async () => {
    const typedoc = join(ROOT, 'node_modules/.bin/typedoc');
    const result = await exec(typedoc, ['--out', out, '--logLevel', 'Info'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 240_000,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`typedoc failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const log = `${result.stdout}\n${result.stderr}`;
    expect(log).not.toMatch(/\[warning\]|\[error\]/);
    for (const folder of PUBLISHED) {
      expect(log).toContain(`Converting project at ./packages/${folder}`);
      expect(existsSync(join(out, 'modules', `_tidings_${folder}.html`))).toBe(true);
    }
    // Types cross package boundaries as links: a feed article is the parser's Article.
    expect(readFileSync(join(out, 'types/_tidings_feeds.FeedArticle.html'), 'utf8')).toContain(
      'href="../interfaces/_tidings_parser.Article.html"',
    );
    // Source links point into the repository, package folder included.
    expect(readFileSync(join(out, 'functions/_tidings_feeds.renderFeed.html'), 'utf8')).toContain(
      'https://github.com/tidings-feeds/tidings/blob/main/packages/feeds/src/render.ts#L',
    );
  }, 240_000);
});
