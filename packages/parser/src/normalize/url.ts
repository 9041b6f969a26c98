/**
 * A link as found in a page → absolute URL. Only http(s), except that pages read from disk
 * (`file:` page URLs, e.g. the CLI without `--url`) keep links to their neighbouring files.
 */
export function resolveLink(href: string, pageUrl: string): string | undefined {
  try {
    const url = new URL(href.trim(), pageUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    if (url.protocol === 'file:' && pageUrl.startsWith('file:')) return url.href;
    return undefined;
  } catch {
    return undefined;
  }
}

/** An absolute http(s) URL, or undefined for anything else (javascript:, data:, unparsable). */
export function absoluteHttpUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
