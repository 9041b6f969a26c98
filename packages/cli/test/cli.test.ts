import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startUpstream } from '../../../test/support/upstream.js';
import { expectedPage1 } from '../../parser/test/fixtures.js';
import { generatedListing } from '../../parser/test/generated-listing.js';
import { EXIT, run } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECTION = 'test/fixtures/jy.tj.gov.cn/JYXW/TJJY/';
const PAGE_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/index.html';

async function tidings(args: string[], stdin?: Buffer) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...(stdin ? { stdin: async () => stdin } : {}),
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

describe('tidings parse', () => {
  it('prints { source, articles, pages } for a listing page', async () => {
    const { code, stdout, stderr } = await tidings(['parse', `${SECTION}index.html`, '--url', PAGE_URL]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['source', 'articles', 'skipped', 'pages']);
    expect(result.articles).toHaveLength(15);
    expect(result.skipped).toEqual([]);
    expect(result.pages.total).toBe(3);
    expect(result.source.section).toBe('天津教育');
  });

  it('honours --content-type and reads standard input', async () => {
    const gb = readFileSync(`${ROOT}test/fixtures/encodings/index.gb18030.html`);
    const { code, stdout } = await tidings(
      ['parse', '-', '--url', PAGE_URL, '--content-type', 'text/html; charset=GBK'],
      gb,
    );
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout).articles[0].title).toBe('我市基础教育扩优提质高质量发展');
  });

  it('resolves links against the file when no --url is given', async () => {
    const { code, stdout } = await tidings(['parse', `${SECTION}index.html`, '--compact']);
    expect(code).toBe(EXIT.ok);
    expect(stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(stdout).articles[0].url).toBe(`file://${ROOT}${SECTION}202412/t20241204_6797100.html`);
  });

  it('prints one article with --article', async () => {
    const url = 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html';
    const { code, stdout } = await tidings([
      'parse',
      '--article',
      `${SECTION}202412/t20241204_6797100.html`,
      '--url',
      url,
    ]);
    expect(code).toBe(EXIT.ok);
    const article = JSON.parse(stdout);
    expect(article.id).toBe(url);
    expect(article.publishedAt).toBe('2024-12-04T09:00:00+08:00');
    expect(article.author).toBe('天津日报');
  });

  it('exits 2 with a clear message for a missing file', async () => {
    const { code, stdout, stderr } = await tidings(['parse', 'no/such/page.html']);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr).toBe('tidings: Cannot read "no/such/page.html": no such file.\n');
  });

  it.each([
    [['parse', '--nope', 'x.html'], /Unknown option '--nope'/],
    [['parse'], /Which file\?/],
    [['parse', '--article', 'a.html'], /--article needs --url/],
    [['parse', 'a.html', 'b.html'], /One file at a time/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [[], /Usage:/],
  ])('exits 2 for bad usage: %j', async (args, message) => {
    const { code, stdout, stderr } = await tidings(args);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('exits 1 with the typed error when the page cannot be parsed, saying which flag helps', async () => {
    const { code, stdout, stderr } = await tidings([
      'parse',
      'test/fixtures/article-dates/vsb.html',
      '--url',
      'https://example.org/x/',
    ]);
    expect(code).toBe(EXIT.parseFailed);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^tidings: LayoutError \(no-list\): Found no list of articles on https:\/\/example\.org\/x\//,
    );
    expect(stderr).toMatch(/write a profile for the site and pass it with --profile <file\.yaml>\.\n$/);
  });
});

describe('pages no profile knows, with no flags', () => {
  it('parse listing.txt: the text seed, its section from the breadcrumb; the note on stderr', async () => {
    const { code, stdout, stderr } = await tidings(['parse', 'test/fixtures/seed/listing.txt']);
    expect(code).toBe(EXIT.ok);
    const url = `file://${ROOT}test/fixtures/seed/listing.txt`;
    expect(stderr).toBe(
      `tidings: note: no profile knows ${url}, so the generic rules read its text: a title line, then a line with only its date\n`,
    );
    const result = JSON.parse(stdout);
    expect(result.source.section).toBe('天津教育');
    expect(
      result.articles.map((article: { title: string; publishedAt: string }) => [
        article.title,
        article.publishedAt,
      ]),
    ).toEqual(expectedPage1.map((item) => [item.title, `${item.date}T00:00:00+08:00`]));
  });

  it('parse --article <an unknown site’s page> --url: the generic article rules', async () => {
    const url = 'https://news.example.edu.cn/info/1027/120851.htm';
    const { code, stdout, stderr } = await tidings([
      'parse',
      '--article',
      'test/fixtures/article-dates/vsb.html',
      '--url',
      url,
    ]);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe(`tidings: note: no profile knows ${url}, so the generic article rules read it\n`);
    const article = JSON.parse(stdout);
    expect(article).toMatchObject({
      id: url,
      title: '我校召开2021年学科建设推进会',
      publishedAt: '2021-05-19T10:41:27+08:00',
      datePrecision: 'second',
    });
  });

  it('parse and feed an HTML listing: the rules detection chose, in one note', async () => {
    const url = 'https://www.example.edu.cn/xwzx/';
    const page = 'test/fixtures/layouts/cards.html';
    const note =
      `tidings: note: no profile knows ${url}, so detection found the list: item div.card-list > div.card ` +
      '(8 items), title h3 a, link h3 a @href, date span.time\n';
    const parsed = await tidings(['parse', page, '--url', url]);
    expect(parsed.code).toBe(EXIT.ok);
    expect(parsed.stderr).toBe(note);
    const auto = await tidings(['parse', page, '--url', url, '--profile', 'auto']);
    expect(parsed.stdout).toBe(auto.stdout);
    const fed = await tidings(['feed', page, '--url', url]);
    expect(fed.code).toBe(EXIT.ok);
    expect(fed.stderr).toBe(note);
    expect(fed.stdout).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<rss version="2\.0"/);
  });
});

describe('errors in the command’s words', () => {
  it.each([
    [
      'a --url that is no address',
      ['parse', `${SECTION}index.html`, '--url', 'jy.tj.gov.cn/JYXW/'],
      'tidings: InputError (bad-url): --url "jy.tj.gov.cn/JYXW/" is not an absolute http(s) or file URL.\n',
    ],
    [
      'an unknown --profile',
      ['parse', `${SECTION}index.html`, '--profile', 'nope'],
      /^tidings: ProfileError \(unknown-profile\): --profile: No profile named "nope"\. Known profiles: tj-education, trs, .*auto\. Or name a \.yaml\/\.json file holding a written profile\.\n$/,
    ],
    [
      'an article page the generic rules cannot read',
      ['parse', '--article', 'test/fixtures/layouts/cards.html', '--url', 'https://example.org/a/1.html'],
      /^tidings: LayoutError \(no-date\): Profile "auto" found no publication time on the article page https:\/\/example\.org\/a\/1\.html \(looked for a date labelled 发布时间, 发布日期, 时间 or 日期, meta.*\)\. To read it, write a profile for the site and pass it with --profile <file\.yaml>\.\n$/,
    ],
  ])('%s', async (_case, args, message) => {
    const { code, stdout, stderr } = await tidings(args);
    expect(code).toBe(EXIT.parseFailed);
    expect(stdout).toBe('');
    if (typeof message === 'string') expect(stderr).toBe(message);
    else expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/options\.|allowIncomplete/);
  });

  it('a truncated page: no advice about a library option the command does not have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-cli-'));
    try {
      const html = readFileSync(`${ROOT}${SECTION}index.html`, 'utf8');
      writeFileSync(join(dir, 'cut.html'), html.slice(0, html.indexOf('</body>')));
      const { code, stderr } = await tidings(['parse', join(dir, 'cut.html'), '--url', PAGE_URL]);
      expect(code).toBe(EXIT.parseFailed);
      expect(stderr).toMatch(
        /^tidings: InputError \(truncated\): The HTML of .* looks truncated\. Fetch it again\.\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a page with one unusable item', () => {
  const STUB = "javascript:alert('u1')";
  const NOTE = `tidings: note: item 1,234 skipped: link "${STUB}" is not a web address\n`;
  let dir: string;
  let page: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-cli-'));
    page = join(dir, 'index.html');
    writeFileSync(
      page,
      generatedListing(2_000, (item, index) => (index === 1_233 ? { ...item, onclick: STUB } : item)),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parse prints the other articles and the skipped entry; the note goes to stderr', async () => {
    const { code, stdout, stderr } = await tidings(['parse', page, '--url', PAGE_URL, '--compact']);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe(NOTE);
    const result = JSON.parse(stdout);
    expect(result.articles).toHaveLength(1_999);
    expect(result.skipped).toEqual([{ index: 1_233, field: 'link', reason: 'bad-link', value: STUB }]);
  });

  it('feed writes only the feed to stdout, the note to stderr', async () => {
    const { code, stdout, stderr } = await tidings(['feed', page, '--url', PAGE_URL]);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe(NOTE);
    expect(stdout).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<rss version="2\.0"/);
    expect(stdout).not.toContain('skipped');
  });

  it('exits 1 with the counts when most items are unusable', async () => {
    const broken = join(dir, 'broken.html');
    writeFileSync(
      broken,
      generatedListing(10, (item, index) => (index < 6 ? { ...item, onclick: STUB } : item)),
    );
    const { code, stdout, stderr } = await tidings(['parse', broken, '--url', PAGE_URL]);
    expect(code).toBe(EXIT.parseFailed);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tidings: LayoutError \(bad-link\): Profile "tj-education": 6 of 10 items on /);
    expect(stderr).toContain(`found "${STUB}"`);
  });
});

describe('tidings parse <url>', () => {
  it('fetches the page politely and parses it; loopback only when allowed', async () => {
    const upstream = await startUpstream();
    try {
      const url = `${upstream.origin}/JYXW/TJJY/`;
      const refused = await tidings(['parse', url]);
      expect(refused.code).toBe(EXIT.parseFailed);
      expect(refused.stderr).toMatch(/FetchError \(private-network\)/);
      const { code, stdout, stderr } = await tidings(['parse', url, '--allow-private-network']);
      expect(stderr).toBe('');
      expect(code).toBe(EXIT.ok);
      const result = JSON.parse(stdout);
      expect(result.articles).toHaveLength(15);
      expect(result.articles[0].url).toBe(`${url}202412/t20241204_6797100.html`);
      expect(upstream.requests).toContain('/robots.txt');
    } finally {
      await upstream.close();
    }
  });
});

describe('tidings feed', () => {
  it.each([
    ['rss', /^<\?xml version="1\.0" encoding="utf-8"\?>\n<rss version="2\.0"/],
    ['atom', /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/],
    ['json', /^\{\n {2}"version": "https:\/\/jsonfeed\.org\/version\/1\.1"/],
  ])('writes a %s feed of the page to stdout', async (format, start) => {
    const self = `https://static.example.org/tjjy.${format}`;
    const { code, stdout, stderr } = await tidings([
      'feed',
      `${SECTION}index.html`,
      '--url',
      PAGE_URL,
      '--format',
      format,
      '--self',
      self,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(start);
    expect(stdout).toContain(self);
    expect(stdout).toContain('天津教育 – 天津市教育委员会');
    expect(stdout.match(/t2024120\d_\d+\.html/g)?.length).toBeGreaterThanOrEqual(15);
  });

  it('defaults to RSS and leaves out the self link when not told one', async () => {
    const { code, stdout } = await tidings(['feed', `${SECTION}index.html`, '--url', PAGE_URL]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('<rss version="2.0"');
    expect(stdout).not.toContain('rel="self"');
  });

  it.each([
    [['feed', `${SECTION}index.html`], /feed needs --url/],
    [
      ['feed', `${SECTION}index.html`, '--url', PAGE_URL, '--format', 'xml'],
      /--format must be rss, atom or json/,
    ],
  ])('exits 2 for bad usage: %j', async (args, message) => {
    const { code, stderr } = await tidings(args);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(message);
  });
});

describe('pnpm tidings, from the repo root', () => {
  it('writes only the JSON to stdout (pnpm’s header goes to stderr)', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['-y', 'pnpm@12.4.2', 'tidings', 'parse', `${SECTION}index.html`, '--url', PAGE_URL],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout);
    expect(result.articles).toHaveLength(15);
    expect(result.articles[14].url).toBe('https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241202_6797002.html');
  });
});

describe('tidings detect', () => {
  const OTHER_HOST = 'https://www.example-trs.gov.cn/xwzx/';

  it('prints a source entry with the detected list, and the first items as comments', async () => {
    const { code, stdout, stderr } = await tidings(['detect', `${SECTION}index.html`, '--url', OTHER_HOST]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    const [entry] = parseYaml(stdout) as [{ id: string; url: string; profile: { list: { item: string } } }];
    expect(entry).toMatchObject({ id: 'xwzx', url: OTHER_HOST });
    expect(entry.profile.list.item).toBe('ul.common-list-right-list > li');
    expect(stdout).toContain('# First 5 of 15 articles:');
    expect(stdout).toContain('#   2024-12-04T00:00:00+08:00  我市基础教育扩优提质高质量发展');
    expect(stdout).toContain(`#     ${OTHER_HOST}202412/t20241204_6797100.html`);
  });

  it('finds the 15 articles with their links and dates as JSON', async () => {
    const { code, stdout } = await tidings([
      'detect',
      `${SECTION}index.html`,
      '--url',
      PAGE_URL,
      '--json',
      '--items',
      '15',
    ]);
    expect(code).toBe(EXIT.ok);
    const { articles, detection } = JSON.parse(stdout);
    expect(detection.count).toBe(15);
    expect(
      articles.map((article: { url: string; publishedAt: string }) => [article.url, article.publishedAt]),
    ).toEqual(expectedPage1.map((item) => [item.link, `${item.date}T00:00:00+08:00`]));
  });

  it('writes a profile that parse reads back to the same JSON as --profile auto', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-detect-'));
    try {
      const detected = await tidings(['detect', `${SECTION}index.html`, '--url', OTHER_HOST]);
      writeFileSync(join(dir, 'source.yaml'), detected.stdout);
      const written = await tidings([
        'parse',
        `${SECTION}index.html`,
        '--url',
        OTHER_HOST,
        '--profile',
        join(dir, 'source.yaml'),
      ]);
      const auto = await tidings(['parse', `${SECTION}index.html`, '--url', OTHER_HOST, '--profile', 'auto']);
      expect(written.code).toBe(EXIT.ok);
      expect(auto.stderr).toBe('tidings: detected the list "ul.common-list-right-list > li" (15 items)\n');
      expect(written.stderr).toBe('');
      expect(written.stdout).toBe(auto.stdout);
      expect(JSON.parse(auto.stdout).articles).toHaveLength(15);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a clear message when a page has no list', async () => {
    const { code, stdout, stderr } = await tidings([
      'detect',
      `${SECTION}202412/t20241204_6797079.html`,
      '--url',
      PAGE_URL,
    ]);
    expect(code).toBe(EXIT.parseFailed);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tidings: LayoutError \(no-list\): /);
  });

  it('refuses --profile and a bad --items', async () => {
    expect((await tidings(['detect', `${SECTION}index.html`, '--profile', 'trs'])).code).toBe(EXIT.usage);
    expect((await tidings(['detect', `${SECTION}index.html`, '--items', 'all'])).code).toBe(EXIT.usage);
  });
});
