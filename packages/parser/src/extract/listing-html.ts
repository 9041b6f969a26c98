import type { AnyNode, Document, Element, ParentNode } from 'domhandler';
import { LayoutError } from '../errors.js';
import { textOf } from '../normalize/html.js';
import type { FieldRules, ListRules, SiteProfile } from '../profiles/types.js';
import type { ItemField } from '../types.js';
import { toCount } from './pagination.js';
import type { RawItem, RawListing } from './raw.js';
import { rawValueOf, readField, selectFirst, selectIn } from './rules.js';

/**
 * Reads a listing page with list rules (the profile's, or detected ones) and the profile's source
 * and pagination rules. Throws LayoutError when nothing matches the item selector; items whose
 * fields the rules cannot read are returned with those fields noted as `unread`.
 */
export function extractHtmlListing(
  document: Document,
  profile: SiteProfile,
  list: ListRules,
  url: string,
  /** Where the items are, when not in the page's markup (a family's `listSource`). */
  itemsFrom: Document = document,
): RawListing {
  const elements = selectIn(itemsFrom, list.item);
  if (elements.length === 0) {
    throw new LayoutError(
      'no-articles',
      `Profile "${profile.id}" found no articles on ${url}: nothing matches the item selector "${list.item}". ` +
        'The site may have been redesigned, or this is not a listing page.',
      { profile: profile.id, rule: `list.item: ${list.item}`, url },
    );
  }
  const items = elements.map((element) => readItem(element, list));

  const pagination = profile.pagination;
  // Pagers follow their list: look there before walking a long page again.
  const afterList = followingNodes(elements[0]?.parent);
  const near = (rules: FieldRules | undefined) =>
    rules && (readField(afterList, rules) ?? readField(document, rules));
  const current = toCount(near(pagination?.current), pagination?.currentIsZeroBased);
  return {
    ...readPageSource(document, profile),
    items,
    total: toCount(near(pagination?.total)),
    current,
    next: near(pagination?.next),
  };
}

/** The publisher, section and language the page names, by the profile's source rules. */
export function readPageSource(
  document: Document,
  profile: SiteProfile,
): Pick<RawListing, 'sourceName' | 'section' | 'language'> {
  return {
    sourceName: profile.source.name ? readField(document, profile.source.name) : undefined,
    section: readField(document, profile.source.section),
    language: selectFirst(document, 'html')?.attribs.lang?.trim() || undefined,
  };
}

/**
 * One item's fields as found. A field the rules read nothing for is noted in `unread`, not
 * thrown: one broken item must not cost the page (normalizing decides what is usable).
 */
function readItem(element: Element, list: ListRules): RawItem {
  let unread: RawItem['unread'];
  const field = (name: ItemField): string | undefined => {
    const value = readField(element, list[name]);
    if (value === undefined) unread = { ...unread, [name]: rawValueOf(element, list[name]) };
    return value;
  };
  const title = field('title');
  const link = field('link');
  const date = field('date');
  const raw: RawItem = { title: title ?? '', date: date ?? '' };
  if (link !== undefined) raw.link = link;
  if (unread) raw.unread = unread;
  if (list.content) {
    const content = selectIn(element, list.content);
    if (content.length > 0) raw.content = textOf(content);
  }
  return raw;
}

/** The siblings after `node`, then its ancestors' later siblings: the rest of the page in order. */
function followingNodes(node: ParentNode | null | undefined): AnyNode[] {
  const following: AnyNode[] = [];
  for (let current: AnyNode | null | undefined = node; current; current = current.parent) {
    for (let next = current.next; next; next = next.next) following.push(next);
  }
  return following;
}
