import type { Article } from '@tidings/parser';
import { escapeHtml } from '../views/html.js';
import type { PushContent } from './push-content.js';

/** One message of a push: a digest of every item, or one item. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

interface Labels {
  articles: (count: number) => string;
  edited: string;
  more: (count: number) => string;
  read: string;
  footer: string;
}

// The words around the articles, in the feed's language: its titles are Chinese, so are they.
const SIMPLIFIED: Labels = {
  articles: (count) => `${count} 篇新文章`,
  edited: '更新',
  more: (count) => ` 等 ${count} 篇`,
  read: '阅读原文',
  footer: '由 Tidings 推送。订阅页',
};
const TRADITIONAL: Labels = {
  articles: (count) => `${count} 篇新文章`,
  edited: '更新',
  more: (count) => ` 等 ${count} 篇`,
  read: '閱讀原文',
  footer: '由 Tidings 推送。訂閱頁',
};
const ENGLISH: Labels = {
  articles: (count) => `${count} new article${count === 1 ? '' : 's'}`,
  edited: 'updated',
  more: (count) => ` (+${count - 1} more)`,
  read: 'Read on the site',
  footer: 'Pushed by Tidings. Feed page',
};

function labelsFor(language: string | undefined): Labels {
  const lang = (language ?? 'zh-CN').toLowerCase();
  if (lang === 'zh-hant' || lang === 'zh-tw' || lang === 'zh-hk') return TRADITIONAL;
  return lang.startsWith('zh') ? SIMPLIFIED : ENGLISH;
}

/** Summaries in a digest are cut here; a message per item carries the whole text, up to ITEM_TEXT_CHARS. */
const DIGEST_SUMMARY_CHARS = 200;
const ITEM_TEXT_CHARS = 20_000;

/** `[feed] first title 等 37 篇`: the subject of a digest. */
export function digestEmail(content: PushContent): EmailContent {
  const labels = labelsFor(content.channel.language);
  const { items } = content;
  const first = items[0]?.article.title ?? '';
  const edited = items.filter((item) => item.edited).length;
  const count = `${labels.articles(items.length - edited)}${edited > 0 ? ` · ${edited} ${labels.edited}` : ''}`;
  const heading = `${content.channel.title} · ${count}`;
  const text = [
    heading,
    '',
    ...items.flatMap(({ article, edited: isEdited }) => [
      `${isEdited ? `[${labels.edited}] ` : ''}${article.title}`,
      [when(article), article.url].filter(Boolean).join(' · '),
      ...(article.summary ? [cut(article.summary, DIGEST_SUMMARY_CHARS)] : []),
      '',
    ]),
    `-- \n${labels.footer}: ${content.pageUrl}`,
  ].join('\n');
  const html = page(
    heading,
    `<h1 style="font-size:1.2em">${escapeHtml(heading)}</h1>\n<ul style="padding-left:1.2em">\n${items
      .map(
        ({ article, edited: isEdited }) =>
          `<li style="margin-bottom:1em">${isEdited ? `<small>[${escapeHtml(labels.edited)}]</small> ` : ''}${link(article)}<br>` +
          `<small style="color:#666">${escapeHtml(when(article))}</small>` +
          (article.summary ? `<br>${escapeHtml(cut(article.summary, DIGEST_SUMMARY_CHARS))}` : '') +
          '</li>',
      )
      .join('\n')}\n</ul>`,
    labels,
    content.pageUrl,
  );
  return {
    subject: `[${content.channel.title}] ${first}${items.length > 1 ? labels.more(items.length) : ''}`,
    text,
    html,
  };
}

/** `[feed] title`: one message per item, with the article's text (its HTML, sanitized by the parser). */
export function itemEmail(content: PushContent, index: number): EmailContent {
  const labels = labelsFor(content.channel.language);
  const item = content.items[index];
  if (!item) throw new RangeError(`no item ${index} in delivery ${content.key}`);
  const { article } = item;
  const title = `${item.edited ? `[${labels.edited}] ` : ''}${article.title}`;
  const text = [
    title,
    [when(article), article.url].filter(Boolean).join(' · '),
    '',
    cut(article.contentText || article.summary, ITEM_TEXT_CHARS),
    '',
    `-- \n${labels.footer}: ${content.pageUrl}`,
  ].join('\n');
  const body = article.contentHtml || `<p>${escapeHtml(article.summary)}</p>`;
  const html = page(
    title,
    `<h1 style="font-size:1.2em">${escapeHtml(title)}</h1>\n<p><small style="color:#666">${escapeHtml(when(article))}</small>` +
      (article.url ? ` · <a href="${escapeHtml(article.url)}">${escapeHtml(labels.read)}</a>` : '') +
      `</p>\n${body.length > ITEM_TEXT_CHARS * 4 ? `<p>${escapeHtml(cut(article.contentText, ITEM_TEXT_CHARS))}</p>` : body}`,
    labels,
    content.pageUrl,
  );
  return { subject: `[${content.channel.title}] ${title}`, text, html };
}

/** The article's time as the source wrote it (its own offset): `2024-12-04 09:00`, or the day. */
function when(article: Article): string {
  const written = article.publishedAt;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(written)) return '';
  return article.datePrecision === 'day' ? written.slice(0, 10) : written.slice(0, 16).replace('T', ' ');
}

function link(article: Article): string {
  const title = escapeHtml(article.title);
  return article.url ? `<a href="${escapeHtml(article.url)}">${title}</a>` : title;
}

function cut(text: string, chars: number): string {
  const letters = [...text];
  return letters.length <= chars ? text : `${letters.slice(0, chars).join('')}…`;
}

function page(title: string, main: string, labels: Labels, pageUrl: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:sans-serif;line-height:1.5;max-width:40em">
${main}
<hr><p><small>${escapeHtml(labels.footer)}: <a href="${escapeHtml(pageUrl)}">${escapeHtml(pageUrl)}</a></small></p>
</body></html>
`;
}
