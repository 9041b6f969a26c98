import type { Document, Element } from 'domhandler';
import { findAll, textContent } from 'domutils';
import { LayoutError } from '../errors.js';

/** Where frameworks mount (Vue, React, Quasar, Nuxt, Next), and what a script-filled list is named. */
const MOUNT_ID = /^(?:app|root|q-app|__nuxt|__next)$|list|news/i;
const MOUNT_TAGS = new Set(['div', 'main', 'section', 'article', 'ul', 'ol', 'tbody']);
const EXECUTABLE_TYPE = /^(?:|text\/javascript|application\/javascript|module|text\/ecmascript)$/i;
const ASKS_FOR_JAVASCRIPT =
  /enable\s+javascript|javascript\s+(?:is\s+)?(?:disabled|required|enabled)|without\s+javascript|(?:启用|开启|打开|允许|支持)\s*javascript|javascript\s*(?:已|被)?禁用/i;

/**
 * A page with no list whose scripts build it: an executable script, plus an empty mount point or
 * a `<noscript>` asking for JavaScript. Then the page is not a redesign or the wrong page, and the
 * error says so. A page rendered in a browser has run (and shed) its scripts, so it never is one.
 */
export function scriptBuiltError(document: Document, url: string): LayoutError | undefined {
  const scripts = findAll(
    (element) => element.name === 'script' && EXECUTABLE_TYPE.test((element.attribs.type ?? '').trim()),
    document.children,
  );
  if (scripts.length === 0) return undefined;
  const mount = findAll(isEmptyMountPoint, document.children)[0];
  const asks = findAll(
    (element) => element.name === 'noscript' && ASKS_FOR_JAVASCRIPT.test(textContent(element)),
    document.children,
  ).length;
  if (!mount && asks === 0) return undefined;
  const evidence = [
    mount && `an empty ${describe(mount)}`,
    `${scripts.length} script${scripts.length === 1 ? '' : 's'}`,
    asks > 0 && 'a <noscript> asking for JavaScript',
  ].filter(Boolean);
  return new LayoutError(
    'script-built',
    `Found no list of articles on ${url}: this page builds its list with JavaScript ` +
      `(${evidence.join(', ')}): try \`render: browser\`.`,
    { profile: 'auto', rule: 'detect', url },
  );
}

function isEmptyMountPoint(element: Element): boolean {
  if (!MOUNT_TAGS.has(element.name)) return false;
  const { id = '', class: className = '' } = element.attribs;
  if (!MOUNT_ID.test(id) && !className.split(/\s+/).some((name) => MOUNT_ID.test(name))) return false;
  return element.children.every(
    (child) => child.type === 'comment' || (child.type === 'text' && !child.data.trim()),
  );
}

function describe(element: Element): string {
  const { id, class: className } = element.attribs;
  const name = id ? ` id="${id}"` : className ? ` class="${className}"` : '';
  return `<${element.name}${name}>`;
}
