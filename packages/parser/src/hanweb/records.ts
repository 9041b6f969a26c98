import { Document, Element } from 'domhandler';
import { appendChild } from 'domutils';
import { parseHtml } from '../normalize/html.js';

/** The class of the element each record's markup is put in: one per item. */
export const RECORD_CLASS = 'hanweb-record';

/**
 * Records' markup → one document, each record in its own `div.hanweb-record`. Each is parsed on
 * its own, so a record with an unclosed tag cannot swallow the ones after it.
 */
export function recordsDocument(records: readonly string[]): Document {
  const list = new Element('div', { class: 'hanweb-records' });
  const document = new Document([]);
  appendChild(document, list);
  for (const markup of records) {
    const record = new Element('div', { class: RECORD_CLASS });
    appendChild(list, record);
    for (const node of [...parseHtml(markup).children]) appendChild(record, node);
  }
  return document;
}
