import type { AnyNode, Document, Element } from 'domhandler';
import { getAttributeValue, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { selectFirst, selectIn } from '../extract/rules.js';
import { parseHtml } from '../normalize/html.js';

/** What a Hanweb `<datastore>` holds. */
export interface Datastore {
  /** Each record's markup (its CDATA), in order. */
  records: string[];
  /** `<totalrecord>`: how many records the column has, when the datastore says. */
  totalRecord?: number;
  /** `<totalpage>`: how many pages the proxy serves them in, when it says. */
  totalPage?: number;
  /** The link in `<nextgroup>`: the proxy's address with the column's parameters, as written. */
  nextGroup?: string;
  /** Inline in the column page (`<script type="text/xml">`), or the whole answer of `dataproxy.jsp`. */
  inline: boolean;
}

/** The page's datastore: the document itself (a `dataproxy.jsp` answer), or the first inline one. */
export function findDatastore(page: Document): Datastore | undefined {
  const answer = selectFirst(page, 'datastore');
  if (answer) return readDatastore(answer, false);
  for (const script of selectIn(page, 'script[type="text/xml"]')) {
    const xml = textContent(script);
    if (!/<datastore[\s>]/i.test(xml)) continue;
    const inline = selectFirst(parseXml(xml), 'datastore');
    if (inline) return readDatastore(inline, true);
  }
  return undefined;
}

/** XML as htmlparser2 reads it in XML mode: CDATA sections become text. */
export function parseXml(xml: string): Document {
  return parseDocument(xml, { xmlMode: true });
}

function readDatastore(root: Element, inline: boolean): Datastore {
  const records = selectIn(root, 'recordset > record')
    .map((record) => textContent(record).trim())
    .filter((markup) => markup !== '');
  const totalRecord = count(selectFirst(root, 'totalrecord'));
  const totalPage = count(selectFirst(root, 'totalpage'));
  const nextGroup = nextGroupLink(selectFirst(root, 'nextgroup'));
  return {
    records,
    inline,
    ...(totalRecord !== undefined && { totalRecord }),
    ...(totalPage !== undefined && { totalPage }),
    ...(nextGroup !== undefined && { nextGroup }),
  };
}

function count(element: AnyNode | null): number | undefined {
  if (!element) return undefined;
  const n = Number.parseInt(textContent(element).trim(), 10);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** `<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&…"></a>]]></nextgroup>` → the href. */
function nextGroupLink(element: AnyNode | null): string | undefined {
  const markup = element && textContent(element).trim();
  if (!markup) return undefined;
  const link = selectFirst(parseHtml(markup), 'a[href]');
  return (link && getAttributeValue(link, 'href')?.trim()) || undefined;
}
