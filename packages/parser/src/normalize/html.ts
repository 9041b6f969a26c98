import { type CheerioAPI, load } from 'cheerio';
import type { AnyNode, Document, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import sanitize from 'sanitize-html';
import type { ArticleAttachment, ArticleImage } from '../types.js';
import {
  cleanParagraphs,
  collapseSegmentBreaks,
  collapseSpaces,
  removeInvisible,
  trimSpaces,
} from './text.js';
import { absoluteHttpUrl } from './url.js';

/** A page → its DOM, with htmlparser2: 2–4× faster than parse5 on these pages, far less memory (see BENCHMARKS.md). */
export function parseHtml(html: string): Document {
  return parseDocument(html, { decodeEntities: true });
}

/** htmlparser2 in HTML mode: 2–4× faster than cheerio's default parse5 on these pages, far less memory. */
export function loadHtml(html: string): CheerioAPI {
  return load(html, { xml: { xmlMode: false, decodeEntities: true, encodeEntities: 'utf8' } });
}

const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const SKIPPED_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'head',
  'title',
]);

const BREAK = '\u2029';

/** The readable text of a node: blocks and `<br>` become line breaks; scripts and styles are skipped. */
export function textOf(nodes: AnyNode | readonly AnyNode[]): string {
  const parts: string[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      parts.push(node.data);
    } else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const name = node.name.toLowerCase();
      if (SKIPPED_TAGS.has(name)) return;
      if (name === 'br') {
        parts.push(BREAK);
        return;
      }
      const block = BLOCK_TAGS.has(name);
      if (block) parts.push(BREAK);
      for (const child of node.children) walk(child);
      if (block) parts.push(BREAK);
    } else if (node.type === 'root') {
      for (const child of node.children) walk(child);
    }
  };
  for (const node of Array.isArray(nodes) ? nodes : [nodes]) walk(node);
  // Newlines in HTML source are spaces (or nothing, between CJK); only blocks and <br> break lines.
  return collapseSegmentBreaks(parts.join('')).replaceAll(BREAK, '\n');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ESCAPES[char] ?? char);
}

/** Plain-text paragraphs as HTML paragraphs. */
export function paragraphsToHtml(paragraphs: readonly string[]): string {
  return paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
}

function resolveAttribute(attribs: sanitize.Attributes, name: string, base: string): sanitize.Attributes {
  const value = attribs[name];
  if (value === undefined) return attribs;
  const { [name]: _, ...rest } = attribs;
  if (/^mailto:/i.test(value.trim())) return { ...rest, [name]: value.trim() };
  const absolute = absoluteHttpUrl(value, base);
  return absolute ? { ...rest, [name]: absolute } : rest;
}

/** The one allow-list every piece of HTML we emit passes through. */
export function sanitizeHtml(html: string, baseUrl: string): string {
  return sanitize(html, {
    allowedTags: [
      'p',
      'br',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'strong',
      'b',
      'em',
      'i',
      'u',
      's',
      'sub',
      'sup',
      'blockquote',
      'ul',
      'ol',
      'li',
      'a',
      'img',
      'figure',
      'figcaption',
      'table',
      'thead',
      'tbody',
      'tfoot',
      'tr',
      'th',
      'td',
      'caption',
      'pre',
      'code',
      'hr',
    ],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'option',
      'noscript',
      'template',
      'iframe',
      'object',
      'title',
    ],
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: resolveAttribute(attribs, 'href', baseUrl) }),
      img: (tagName, attribs) => ({ tagName, attribs: resolveAttribute(attribs, 'src', baseUrl) }),
      h1: 'h2',
      div: 'p',
      section: 'p',
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
    textFilter: (text) => removeInvisible(text),
  });
}

const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  wps: 'application/vnd.ms-works',
  ofd: 'application/ofd',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
  txt: 'text/plain',
  csv: 'text/csv',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

function attachmentType(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return extension ? ATTACHMENT_TYPES[extension] : undefined;
}

export interface CleanBody {
  contentHtml: string;
  contentText: string;
  images: ArticleImage[];
  attachments: ArticleAttachment[];
}

/**
 * An article body as editors leave it (inline styles, `<font>`, `&nbsp;` indents, empty
 * paragraphs) → allow-listed HTML, the same content as text, and its images and attachments.
 */
export function cleanBody(bodyHtml: string, baseUrl: string): CleanBody {
  const $ = loadHtml(sanitizeHtml(bodyHtml, baseUrl));
  const root = $.root();
  root.find('p p').each((_, inner) => {
    $(inner).replaceWith($(inner).contents());
  });
  root.find('*').each((_, element) => {
    if (BLOCK_TAGS.has(element.name)) trimBlock(element);
  });
  for (const node of textNodes(root.get(0))) node.data = collapseSpaces(node.data);
  root.find('p, li, h2, h3, h4, h5, h6, blockquote, figure, figcaption').each((_, element) => {
    const $element = $(element);
    if ($element.text().trim() === '' && $element.find('img, hr, table').length === 0) $element.remove();
  });

  const images: ArticleImage[] = [];
  root.find('img[src]').each((_, element) => {
    const alt = element.attribs.alt?.trim();
    images.push({ url: element.attribs.src as string, ...(alt ? { alt } : {}) });
  });
  const attachments: ArticleAttachment[] = [];
  root.find('a[href]').each((_, element) => {
    const url = element.attribs.href as string;
    if (url.startsWith('mailto:')) return;
    const mimeType = attachmentType(url);
    if (!mimeType) return;
    const title =
      cleanParagraphs($(element).text()).replace(/\n+/g, ' ') ||
      decodeURIComponent(url.split('/').pop() ?? url);
    attachments.push({ url, title, mimeType });
  });

  return {
    contentHtml: (root.html() ?? '').trim(),
    contentText: cleanParagraphs(textOf(root.get(0) as AnyNode)),
    images,
    attachments,
  };
}

function* textNodes(node: AnyNode | undefined): Generator<import('domhandler').Text> {
  if (!node) return;
  if (node.type === 'text') {
    yield node;
    return;
  }
  if ('children' in node) for (const child of node.children) yield* textNodes(child);
}

// Indents live at the start of a block's first text and padding at the end of its last.
function trimBlock(block: Element): void {
  const texts = [...textNodes(block)];
  const first = texts[0];
  const last = texts[texts.length - 1];
  if (first) first.data = trimSpaces(first.data, { end: false });
  if (last) last.data = trimSpaces(last.data, { start: false });
}
