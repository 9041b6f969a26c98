import type { Article } from '@tidings/parser';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => ESCAPES[char] ?? char);

/**
 * An article whose text exceeds `maxChars` (a hostile or broken page), cut at a paragraph and
 * marked; its HTML is rebuilt from the kept paragraphs, so nothing half-cut reaches a feed.
 * Returns the article itself when it fits.
 */
export function capArticleText(article: Article, maxChars: number): Article {
  if (article.contentText.length <= maxChars && article.contentHtml.length <= maxChars * 4) return article;
  const kept: string[] = [];
  let used = 0;
  for (const paragraph of article.contentText.split('\n\n')) {
    if (used + paragraph.length > maxChars) {
      if (kept.length === 0) kept.push(paragraph.slice(0, maxChars));
      break;
    }
    kept.push(paragraph);
    used += paragraph.length + 2;
  }
  kept.push('[…]');
  return {
    ...article,
    contentText: kept.join('\n\n'),
    contentHtml: kept.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
  };
}
