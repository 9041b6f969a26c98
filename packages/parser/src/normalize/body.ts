import type { AnyNode, Element } from 'domhandler';
import type { ArticleAttachment, ArticleImage } from '../types.js';
import { BLOCK_TAGS, loadHtml, textNodes, textOf } from './html.js';
import { sanitizeHtml } from './sanitize.js';
import { cleanParagraphs, collapseSpaces, trimSpaces } from './text.js';

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

function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() || url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // a malformed %-sequence: show it as written
  }
}

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
  root.find('*').each((_, element) => {
    if (BLOCK_TAGS.has(element.name)) trimBlock(element);
  });
  for (const node of textNodes(root.get(0))) node.data = collapseSpaces(node.data);
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
    const title = cleanParagraphs($(element).text()).replace(/\n+/g, ' ') || fileName(url);
    attachments.push({ url, title, mimeType });
  });
  // Only now drop what shows nothing (`<p>&nbsp;</p>`, a link with no text): its files are listed.
  root.find('p, li, h2, h3, h4, h5, h6, blockquote, figure, figcaption').each((_, element) => {
    const $element = $(element);
    if ($element.text().trim() === '' && $element.find('img, hr, table').length === 0) $element.remove();
  });

  return {
    // The allow-list has the last word on what is emitted, whatever the cleaning above did.
    contentHtml: sanitizeHtml((root.html() ?? '').trim(), baseUrl),
    contentText: cleanParagraphs(textOf(root.get(0) as AnyNode)),
    images,
    attachments,
  };
}

// Indents live at the start of a block's first text and padding at the end of its last.
function trimBlock(block: Element): void {
  const texts = [...textNodes(block)];
  const first = texts[0];
  const last = texts[texts.length - 1];
  if (first) first.data = trimSpaces(first.data, { end: false });
  if (last) last.data = trimSpaces(last.data, { start: false });
}
