import sanitize from 'sanitize-html';
import { removeInvisible } from './text.js';
import { absoluteHttpUrl } from './url.js';

function resolveAttribute(attribs: sanitize.Attributes, name: string, base: string): sanitize.Attributes {
  const value = attribs[name];
  if (value === undefined) return attribs;
  const { [name]: _, ...rest } = attribs;
  if (/^mailto:/i.test(value.trim())) return { ...rest, [name]: value.trim() };
  const absolute = absoluteHttpUrl(value, base);
  return absolute ? { ...rest, [name]: absolute } : rest;
}

/** The one allow-list every piece of HTML we emit passes through. */
export function sanitizeHtml(html: string, baseUrl: string): string {
  return sanitize(html, {
    allowedTags:
      'p br h2 h3 h4 h5 h6 strong b em i u s sub sup blockquote ul ol li a img figure figcaption table thead tbody tfoot tr th td caption pre code hr'.split(
        ' ',
      ),
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    nonTextTags: 'script style textarea option noscript template iframe object title'.split(' '),
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: resolveAttribute(attribs, 'href', baseUrl) }),
      img: (tagName, attribs) => ({ tagName, attribs: resolveAttribute(attribs, 'src', baseUrl) }),
      h1: 'h2',
      div: 'p',
      section: 'p',
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
    textFilter: (text) => removeInvisible(text),
  });
}
