import type { View } from './view.js';

/** An element with a part name and, optionally, text: feed strings only ever go in as text. */
function part<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  name: string,
  text?: string | null,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute('part', name);
  if (text) node.textContent = text;
  return node;
}

const HEADING_ID = 'heading';

/** Replaces the wrapper's content with `view`. No innerHTML anywhere. */
export function renderView(wrapper: HTMLElement, view: View): void {
  const nodes: Node[] = [];
  wrapper.lang = view.lang;
  wrapper.dataset.state = view.state;
  if (view.heading) {
    const heading = part('h2', 'heading', view.heading);
    heading.id = HEADING_ID;
    nodes.push(heading);
  }
  if (view.status) {
    const status = part('p', 'status', view.status);
    status.setAttribute('role', 'status');
    nodes.push(status);
  }
  if (view.error) {
    const error = part('p', 'error', view.error.text);
    error.setAttribute('role', 'alert');
    if (view.error.href) {
      const link = part('a', 'source-link', view.error.link);
      link.href = view.error.href;
      error.append(link);
    }
    nodes.push(error);
  }
  if (view.items.length) {
    const list = part('ul', 'list');
    if (view.heading) list.setAttribute('aria-labelledby', HEADING_ID);
    else if (view.label) list.setAttribute('aria-label', view.label);
    for (const item of view.items) {
      const li = part('li', 'item');
      li.dataset.id = item.id;
      if (item.image) {
        const image = part('img', 'image');
        image.alt = '';
        // Before src: the request is made with these.
        image.loading = 'lazy';
        image.decoding = 'async';
        image.referrerPolicy = 'no-referrer';
        image.src = item.image;
        image.onerror = () => image.remove();
        li.append(image);
      }
      const title = item.href ? part('a', 'link', item.title) : part('span', 'title', item.title);
      if (item.href) (title as HTMLAnchorElement).href = item.href;
      if (item.lang) title.lang = item.lang;
      li.append(title);
      if (item.date) {
        const time = part('time', 'date', item.date.text);
        time.dateTime = item.date.datetime;
        if (item.date.title) time.title = item.date.title;
        li.append(time);
      }
      if (item.summary) {
        const summary = part('p', 'summary', item.summary);
        if (item.lang) summary.lang = item.lang;
        li.append(summary);
      }
      list.append(li);
    }
    nodes.push(list);
  }
  wrapper.replaceChildren(...nodes);
}
