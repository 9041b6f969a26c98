import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LayoutError, parseListing } from '../src/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const URL_ = 'https://www.example.edu.cn/tzgg/';

function layoutError(html: string | Buffer): LayoutError {
  try {
    parseListing(html, { url: URL_, profile: 'auto' });
  } catch (error) {
    expect(error).toBeInstanceOf(LayoutError);
    return error as LayoutError;
  }
  throw new Error('expected a LayoutError, but the page parsed');
}

describe('a page whose list is built by script says so, not "no list found"', () => {
  it('an empty app shell: the mount point, the scripts and the <noscript> are named', () => {
    const error = layoutError(readFileSync(`${FIXTURES}app-shell/index.html`));
    expect(error.code).toBe('script-built');
    expect(error.message).toBe(
      `Found no list of articles on ${URL_}: this page builds its list with JavaScript ` +
        '(an empty <div id="app">, 2 scripts, a <noscript> asking for JavaScript): try `render: browser`.',
    );
    expect(error).toMatchObject({ profile: 'auto', rule: 'detect', url: URL_ });
  });

  it('a page with its navigation served and its list left empty for a script to fill', () => {
    const error = layoutError(readFileSync(`${FIXTURES}script-built/index.html`));
    expect(error.code).toBe('script-built');
    expect(error.message).toContain('(an empty <ul id="news-list">, 1 script)');
  });

  it('without scripts, or with scripts but nothing waiting for them, it is still "no list"', () => {
    const noScripts =
      '<html><body><div id="app"></div><noscript>Please enable JavaScript</noscript></body></html>';
    expect(layoutError(noScripts).code).toBe('no-list');
    const nothingWaiting =
      '<html><body><p>关于我们</p><div id="app"><p>简介</p></div><script>track()</script></body></html>';
    expect(layoutError(nothingWaiting).code).toBe('no-list');
    // Data blocks are not scripts that build anything.
    const dataOnly =
      '<html><body><div id="app"></div><script type="application/ld+json">{}</script></body></html>';
    expect(layoutError(dataOnly).code).toBe('no-list');
  });
});
