import type { Document } from 'domhandler';
import { LayoutError } from '../errors.js';
import { textOf } from '../normalize/html.js';
import type { SiteProfile } from '../profiles/types.js';
import { toCount } from './pagination.js';
import type { RawItem, RawListing } from './raw.js';
import { describeRules, readField, selectIn } from './rules.js';

/** Reads a listing page with a profile's selectors. Throws LayoutError rather than return a partial list. */
export function extractHtmlListing(document: Document, profile: SiteProfile, url: string): RawListing {
  const { list } = profile;
  const elements = selectIn(document, list.item);
  if (elements.length === 0) {
    throw new LayoutError(
      'no-articles',
      `Profile "${profile.id}" found no articles on ${url}: nothing matches the item selector "${list.item}". ` +
        'The site may have been redesigned, or this is not a listing page.',
      { profile: profile.id, rule: `list.item: ${list.item}`, url },
    );
  }
  const items = elements.map((element, index): RawItem => {
    const field = (name: 'title' | 'link' | 'date') => {
      const rules = list[name];
      const value = readField(element, rules);
      if (value === undefined) {
        throw new LayoutError(
          'missing-field',
          `Profile "${profile.id}": article ${index + 1} of ${elements.length} on ${url} has no ${name} ` +
            `(looked for ${describeRules(rules)}).`,
          { profile: profile.id, rule: `list.${name}: ${describeRules(rules)}`, url },
        );
      }
      return value;
    };
    const raw: RawItem = { title: field('title'), link: field('link'), date: field('date') };
    if (list.content) {
      const content = selectIn(element, list.content);
      if (content.length > 0) raw.content = textOf(content);
    }
    return raw;
  });

  const pagination = profile.pagination;
  const html = selectIn(document, 'html')[0];
  return {
    sourceName: profile.source.name ? readField(document, profile.source.name) : undefined,
    section: readField(document, profile.source.section),
    language: html?.attribs.lang?.trim() || undefined,
    items,
    total: pagination ? toCount(readField(document, pagination.total)) : null,
    current: pagination ? toCount(readField(document, pagination.current)) : null,
  };
}
