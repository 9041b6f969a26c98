import { Parser } from 'htmlparser2';

/** Elements removed with everything inside them: they run code, embed other documents or submit. */
const DROPPED = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'portal',
  'fencedframe',
]);

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Whose text the browser does not decode: written back as it came. */
const RAW_TEXT = new Set(['style']);

/** Schemes that run code wherever a URL is followed or loaded. */
const SCRIPT_URL = /^(?:javascript|vbscript|livescript):/;

/**
 * A listing page made harmless for the console's picker: every script, event handler attribute
 * (`on…`), `javascript:` URL, `data:` URL (except images'), `<iframe>`, `<object>`, `<embed>`,
 * `<base>`, `<meta http-equiv>` (refresh among them), `<form>` action and comment removed, and one
 * `<base href>` of the page's URL added so relative links and images resolve.
 *
 * Everything else — elements, their nesting, classes, ids and other attributes — is kept as the
 * parser (htmlparser2, the one Tidings reads pages with) sees it, every element closed explicitly,
 * so a selector written against this copy selects the same elements when the feed reads the page.
 */
export function pickerPage(html: string, pageUrl: string): string {
  const out: string[] = [];
  const base = `<base href="${escapeAttribute(pageUrl)}">`;
  let baseWritten = false;
  let afterDoctype = 0;
  const emitted: boolean[] = [];
  const open: string[] = [];
  let skipping = 0;

  const parser = new Parser(
    {
      onprocessinginstruction(name, data) {
        if (skipping > 0 || name.toLowerCase() !== '!doctype' || out.length > 0) return;
        out.push(`<${data}>`);
        afterDoctype = out.length;
      },
      onopentag(name, attributes) {
        open.push(name);
        if (skipping > 0) {
          skipping++;
          emitted.push(false);
          return;
        }
        if (isDropped(name, attributes)) {
          emitted.push(false);
          if (!VOID.has(name)) skipping = 1;
          return;
        }
        emitted.push(true);
        out.push(`<${name}${writeAttributes(name, attributes)}>`);
        if (name === 'head' && !baseWritten) {
          out.push(base);
          baseWritten = true;
        }
      },
      ontext(text) {
        if (skipping > 0) return;
        out.push(RAW_TEXT.has(open.at(-1) ?? '') ? text : escapeText(text));
      },
      onclosetag(name) {
        open.pop();
        const wasEmitted = emitted.pop();
        if (skipping > 0) {
          skipping--;
          return;
        }
        if (wasEmitted && !VOID.has(name)) out.push(`</${name}>`);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  if (!baseWritten) out.splice(afterDoctype, 0, base);
  return out.join('');
}

function isDropped(name: string, attributes: Record<string, string>): boolean {
  if (DROPPED.has(name)) return true;
  if (name === 'meta') return 'http-equiv' in attributes;
  // Stylesheets make the copy look like the page; preloads, imports and manifests only fetch.
  if (name === 'link') return !/(?:^|\s)stylesheet(?:\s|$)/i.test(attributes.rel ?? '');
  return false;
}

function writeAttributes(element: string, attributes: Record<string, string>): string {
  let written = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (!keepsAttribute(element, name, value)) continue;
    written += ` ${name}="${escapeAttribute(value)}"`;
  }
  return written;
}

function keepsAttribute(element: string, name: string, value: string): boolean {
  // A name a browser would read differently from htmlparser2 is not worth the doubt.
  if (!/^[a-z_:][a-z0-9_:.-]*$/.test(name)) return false;
  if (name.startsWith('on') || name === 'srcdoc' || name === 'formaction') return false;
  if (element === 'form' && name === 'action') return false;
  if (element === 'meta' && name === 'content' && /url\s*=/i.test(value)) return false;
  if (!value.includes(':')) return true;
  // Browsers ignore tabs, newlines and leading controls in a URL's scheme: so does this check.
  const url = withoutControls(value).toLowerCase();
  if (SCRIPT_URL.test(url)) return false;
  if (url.startsWith('data:')) return isImage(element, name) && url.startsWith('data:image/');
  return true;
}

/** The value without whitespace and control characters (code points up to U+0020, and U+007F). */
function withoutControls(value: string): string {
  let kept = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code > 0x20 && code !== 0x7f) kept += char;
  }
  return kept;
}

function isImage(element: string, name: string): boolean {
  return (element === 'img' || element === 'source') && (name === 'src' || name === 'srcset');
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"]/g, (char) => (char === '&' ? '&amp;' : '&quot;'));
}
