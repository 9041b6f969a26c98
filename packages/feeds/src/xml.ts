// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/FFFF) and C1 controls, which
// are legal but never content and make some readers stop. Lone surrogates are handled apart.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;
const HAS_NOT_IN_XML = new RegExp(NOT_IN_XML.source);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Drops what may not appear in an XML document (or in text at all). Used for every format. */
export function cleanText(text: string): string {
  // Almost every string is clean: test before copying, and leave the lookbehind pattern for the rare
  // string that is not well-formed UTF-16.
  const legal = HAS_NOT_IN_XML.test(text) ? text.replace(NOT_IN_XML, '') : text;
  return legal.isWellFormed() ? legal : legal.replace(LONE_SURROGATE, '');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/**
 * Text as XML character data or attribute value. Everything is escaped, never wrapped in
 * CDATA: a `]]>` inside a CDATA section ends it, escaping has no such edge. A CR becomes a
 * character reference, since XML would turn a raw one into LF.
 */
export function escapeXml(text: string): string {
  return cleanText(text).replace(/[&<>"'\r]/g, (char) => ESCAPES[char] ?? char);
}

export type Attributes = Record<string, string | number | boolean | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/** `<name attrs>text</name>`, or nothing when the text is undefined. */
export function textElement(
  name: string,
  text: string | undefined,
  attrs: Attributes = {},
): string | undefined {
  return text === undefined ? undefined : `<${name}${attributes(attrs)}>${escapeXml(text)}</${name}>`;
}

export function emptyElement(name: string, attrs: Attributes): string {
  return `<${name}${attributes(attrs)}/>`;
}

/** An element holding child lines, indented by two spaces; undefined children are skipped. */
export function parentElement(name: string, attrs: Attributes, children: (string | undefined)[]): string {
  const inner = children
    .filter((child): child is string => child !== undefined)
    // Indent the lines that hold a tag; lines of text never do (a raw `<` in text is escaped),
    // so text keeps its line breaks exactly.
    .map((child) => child.replace(/^(?= *<)/gm, '  '))
    .join('\n');
  return `<${name}${attributes(attrs)}>\n${inner}\n</${name}>`;
}

export function xmlDocument(root: string, stylesheet: string | undefined): string {
  const pi = stylesheet ? `\n<?xml-stylesheet type="text/xsl" href="${escapeXml(stylesheet)}"?>` : '';
  return `<?xml version="1.0" encoding="utf-8"?>${pi}\n${root}\n`;
}
