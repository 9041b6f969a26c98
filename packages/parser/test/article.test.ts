import { describe, expect, it } from 'vitest';
import { parseArticle, parseListing } from '../src/index.js';
import { articlePageFor, SECTION_URL, sectionPage } from './fixtures.js';

const listings = ['index.html', 'index_1.html', 'index_2.html'].map((file) =>
  parseListing(sectionPage(file), { url: `${SECTION_URL}${file}` }),
);
const listed = listings.flatMap((listing) => listing.articles);

describe('parseArticle on every article page of the section', () => {
  it.each(listed.map((article) => [article.title, article] as const))('%s', (_title, item) => {
    const article = parseArticle(articlePageFor(item.url!), { url: item.url! });
    expect(article.id).toBe(item.id);
    expect(article.url).toBe(item.url);
    expect(article.title).toBe(item.title);
    expect(article.publishedAt.slice(0, 10)).toBe(item.publishedAt.slice(0, 10));
    expect(article.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00$/);
    expect(article.datePrecision).toBe('minute');
    const origin = /来源：([^<]+)</.exec(articlePageFor(item.url!).toString('utf8'))?.[1];
    expect(article.author).toBe(origin);
    expect(article.section).toBe('天津教育');
    expect(article.contentText.length).toBeGreaterThan(50);
    expect(article.contentHtml).toMatch(/^<p>/);
    for (const image of article.images) expect(image.url).toMatch(/^https:\/\/jy\.tj\.gov\.cn\/.+\.jpg$/);
    for (const attachment of article.attachments) {
      expect(attachment.url).toMatch(/^https:\/\/jy\.tj\.gov\.cn\/.+\.pdf$/);
      expect(attachment.mimeType).toBe('application/pdf');
      expect(attachment.title).toMatch(/\.pdf$/);
    }
  });

  it('gives, paragraph for paragraph, the text the listing carries (plus the attachment line)', () => {
    for (const item of listings[0]!.articles) {
      const article = parseArticle(articlePageFor(item.url!), { url: item.url! });
      const paragraphs = article.contentText.split('\n\n');
      const body = paragraphs.filter((paragraph) => !paragraph.startsWith('附件：'));
      expect(body.join('')).toBe(item.contentText);
      expect(paragraphs.length - body.length).toBe(article.attachments.length);
    }
  });

  it('finds images and attachments with absolute URLs', () => {
    const url = `${SECTION_URL}202412/t20241204_6797100.html`;
    const article = parseArticle(articlePageFor(url), { url });
    expect(article.publishedAt).toBe('2024-12-04T09:00:00+08:00');
    expect(article.images).toEqual([
      { url: `${SECTION_URL}202412/W06797100_1.jpg`, alt: '我市基础教育扩优提质高质量发展' },
    ]);
    const withPdf = `${SECTION_URL}202412/t20241204_6797079.html`;
    expect(parseArticle(articlePageFor(withPdf), { url: withPdf }).attachments).toEqual([
      {
        url: `${SECTION_URL}202412/P06797079_1.pdf`,
        title: '天津医学高等专科学校“三教”改革培育实用型医学人才.pdf',
        mimeType: 'application/pdf',
      },
    ]);
  });
});

const page = (body: string, info = '<span>来源：天津日报</span><span>发布时间：2024-12-04 09:00</span>') =>
  `<!DOCTYPE html><html lang="zh-CN"><head><meta name="SiteDomain" content="jy.tj.gov.cn"><meta name="ColumnName" content="天津教育"></head>
<body><div class="article-title"><h1>标题</h1></div><div class="article-info">${info}</div>
<div class="TRS_Editor">${body}</div></body></html>`;
const URL_ = `${SECTION_URL}202412/t20241204_1.html`;

describe('parseArticle on what TRS editors leave in bodies', () => {
  it('drops <style> blocks, <font> tags and &nbsp;/　 indents from text and HTML', () => {
    const article = parseArticle(
      page(`<style type="text/css">.TRS_Editor P{margin:0;font-size:12pt}</style>
<p style="text-indent:2em"><font face="宋体" size="3">&nbsp;&nbsp;&nbsp;&nbsp;　　第一段，&nbsp;内容。&nbsp;</font></p>
<p>&nbsp;</p><p><font color="red">　　第二段 with&nbsp;&nbsp;English&#x2002;words.</font></p>`),
      { url: URL_ },
    );
    expect(article.contentText).toBe('第一段，内容。\n\n第二段 with English words.');
    expect(article.contentHtml.replace(/>\s+</g, '><')).toBe(
      '<p>第一段，内容。</p><p>第二段 with English words.</p>',
    );
    for (const leak of ['style', 'font', 'margin', '&nbsp;', '\u00a0', '\u3000', '\u2002']) {
      expect(article.contentHtml).not.toContain(leak);
      expect(article.contentText).not.toContain(leak);
    }
  });

  it('removes scripts, event handlers and javascript: URLs', () => {
    const article = parseArticle(
      page(`<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a>
<a href=" JaVaScRiPt:alert(1)">二</a><img src="x.jpg" onerror="alert(1)"><iframe src="https://evil.example/"></iframe>
<a href="mailto:office@example.cn">信箱</a><svg onload="alert(1)"></svg></p>`),
      { url: URL_ },
    );
    expect(article.contentHtml).not.toMatch(/script|onclick|onerror|onload|javascript:|iframe|svg/i);
    expect(article.contentHtml).toContain(`<img src="${SECTION_URL}202412/x.jpg" />`);
    expect(article.contentHtml).toContain('<a href="mailto:office@example.cn">信箱</a>');
    expect(article.contentText).toBe('正文链接二信箱');
  });

  it('keeps paragraphs apart when editors nest divs and paragraphs', () => {
    const article = parseArticle(page('<div>导语<p>一</p><div><div>二</div><div>三</div></div>尾</div>'), {
      url: URL_,
    });
    expect(article.contentText).toBe('导语\n\n一\n\n二\n\n三\n\n尾');
  });

  it('names an attachment after its file when the link has no text, even a malformed one', () => {
    const article = parseArticle(
      page('<p><a href="./%E9%99%84%E4%BB%B6.pdf"></a><a href="x%E0.docx"></a></p>'),
      {
        url: URL_,
      },
    );
    expect(article.attachments.map((attachment) => attachment.title)).toEqual(['附件.pdf', 'x%E0.docx']);
  });

  it('reads the publication time to the second when the page gives seconds', () => {
    const article = parseArticle(page('<p>x</p>', '<span>发布时间：2024-12-04 09:00:05</span>'), {
      url: URL_,
    });
    expect(article.publishedAt).toBe('2024-12-04T09:00:05+08:00');
    expect(article.datePrecision).toBe('second');
    expect(article.author).toBeUndefined();
  });
});
