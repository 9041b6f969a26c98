import type { AnyNode, Document, ParentNode } from 'domhandler';
import { LayoutError } from '../errors.js';
import { textOf } from '../normalize/html.js';
import type { FieldRules, ListRules, SiteProfile } from '../profiles/types.js';
import { toCount } from './pagination.js';
import type { RawItem, RawListing } from './raw.js';
import { describeRules, readField, selectFirst, selectIn } from './rules.js';

/**
 * Reads a listing page with list rules (the profile's, or detected ones) and the profile's source
 * and pagination rules. Throws LayoutError rather than return a partial list.
 */
export function extractHtmlListing(
  document: Document,
  profile: SiteProfile,
  list: ListRules,
  url: string,
): RawListing {
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
  // Pagers follow their list: look there before walking a long page again.
  const afterList = followingNodes(elements[0]?.parent);
  const near = (rules: FieldRules | undefined) =>
    rules && (readField(afterList, rules) ?? readField(document, rules));
  const current = toCount(near(pagination?.current), pagination?.currentIsZeroBased);
  return {
    sourceName: profile.source.name ? readField(document, profile.source.name) : undefined,
    section: readField(document, profile.source.section),
    language: selectFirst(document, 'html')?.attribs.lang?.trim() || undefined,
    items,
    total: toCount(near(pagination?.total)),
    current,
    next: near(pagination?.next),
  };
}

/** The siblings after `node`, then its ancestors' later siblings: the rest of the page in order. */
function followingNodes(node: ParentNode | null | undefined): AnyNode[] {
  const following: AnyNode[] = [];
  for (let current: AnyNode | null | undefined = node; current; current = current.parent) {
    for (let next = current.next; next; next = next.next) following.push(next);
  }
  return following;
}
