import { LayoutError } from '../errors.js';
import type { ListSource } from '../profiles/types.js';
import { findDatastore } from './datastore.js';
import { readJpageSettings } from './jpage.js';
import { columnPaging, proxyPaging } from './paging.js';
import { recordsDocument } from './records.js';

/**
 * Hanweb's lists: the records of the page's `<datastore>` (inline in a column page, or the whole
 * answer of `dataproxy.jsp`), one item each, and the proxy request for the next group.
 */
export const hanwebDatastore: ListSource = {
  name: 'hanweb-datastore',
  read(page, { url, request, profile }) {
    const store = findDatastore(page);
    if (!store) {
      throw new LayoutError(
        'no-articles',
        `Profile "${profile}" found no Hanweb <datastore> on ${url}: neither a <script type="text/xml"> ` +
          'holding one nor a dataproxy.jsp answer. The site may have been redesigned, or this is not a column page.',
        { profile, rule: 'datastore', url },
      );
    }
    if (store.records.length === 0) {
      throw new LayoutError(
        'no-articles',
        `Profile "${profile}": the <datastore> on ${url} holds no records: the column is empty, or this ` +
          'asks for records past its end.',
        { profile, rule: 'datastore > recordset > record', url },
      );
    }
    const pages = store.inline
      ? columnPaging(url, store, readJpageSettings(page))
      : proxyPaging(url, store, request);
    return { items: recordsDocument(store.records), pages };
  },
};
