import { createHash } from 'node:crypto';

/** The article id: its permalink when known, else a hash that stays the same across runs and positions. */
export function articleId(parts: {
  url?: string | undefined;
  source: string;
  title: string;
  publishedAt: string;
}): string {
  if (parts.url) return parts.url;
  // The day only: a listing says 2024-12-04, the article page 2024-12-04 09:00; both are one article.
  const day = parts.publishedAt.slice(0, 10);
  const digest = createHash('sha256')
    .update(`${parts.source}\n${parts.title}\n${day}`)
    .digest('hex')
    .slice(0, 32);
  return `sha256:${digest}`;
}
