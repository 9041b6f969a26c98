import type { CheerioAPI } from 'cheerio';
import { LayoutError } from '../errors.js';
import { textOf } from '../normalize/html.js';
import type { SiteProfile } from '../profiles/types.js';
import { toCount } from './pagination.js';
import type { RawItem, RawListing } from './raw.js';
import { describeRules, readField } from './rules.js';

/** Reads a listing page with a profile's selectors. Throws LayoutError rather than return a partial list. */
export function extractHtmlListing($: CheerioAPI, profile: SiteProfile, url: string): RawListing {
  const { list } = profile;
  const elements = $(list.item);
  if (elements.length === 0) {
    throw new LayoutError(
      'no-articles',
      `Profile "${profile.id}" found no articles on ${url}: nothing matches the item selector "${list.item}". ` +
        'The site may have been redesigned, or this is not a listing page.',
      { profile: profile.id, rule: `list.item: ${list.item}`, url },
    );
  }
  const items: RawItem[] = [];
  elements.each((index, element) => {
    const item = $(element);
    const field = (name: 'title' | 'link' | 'date', rules = list[name]) => {
      const value = readField($, rules, item);
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
      const content = item.find(list.content);
      if (content.length > 0) raw.content = textOf(content.toArray());
    }
    items.push(raw);
  });

  const pagination = profile.pagination;
  return {
    sourceName: profile.source.name ? readField($, profile.source.name) : undefined,
    section: readField($, profile.source.section),
    language: $('html').attr('lang')?.trim() || undefined,
    items,
    total: pagination ? toCount(readField($, pagination.total)) : null,
    current: pagination ? toCount(readField($, pagination.current)) : null,
  };
}
