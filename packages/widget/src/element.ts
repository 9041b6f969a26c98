import { type Feed, fetchFeed } from './feed.js';
import { normalizeLang, parseFlag, parseLimit, refreshDelay } from './options.js';
import { renderView } from './render.js';
import { safeUrl } from './safe-url.js';
import { css } from './styles.js';
import type { TidingsErrorDetail, TidingsLoadDetail } from './types.js';
import { buildView } from './view.js';

/** A request that has not answered after this long fails. */
const TIMEOUT_MS = 20_000;

// Importable where there is no DOM (server-side bundles, Node tests): the class exists, unusable.
const Base: typeof HTMLElement =
  typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

let sheet: CSSStyleSheet | undefined;

/** A constructed stylesheet (shared, and allowed by a CSP without 'unsafe-inline'), else a <style>. */
function adoptStyles(root: ShadowRoot): void {
  try {
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}

/**
 * `<tidings-feed src="https://host/feeds/demo.json" limit="5">`: the latest items of a JSON Feed,
 * in an open shadow root. See the README for attributes, parts, events and custom properties.
 */
export class TidingsFeedElement extends Base {
  static get observedAttributes(): string[] {
    return [
      'src',
      'limit',
      'show-summary',
      'show-date',
      'show-image',
      'relative-dates',
      'refresh',
      'heading',
    ];
  }

  declare private wrapper: HTMLDivElement;
  /** The last feed read from the current src (kept when a refresh fails). */
  declare private feed: Feed | null;
  /** The error of the last load, if it failed. */
  declare private failure: string | null;
  /** The src the last finished load was for; undefined before the first. */
  declare private loadedSrc: string | null | undefined;
  declare private cacheControl: string | null;
  declare private controller: AbortController | null;
  declare private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last load finished (ms since the epoch), 0 before. */
  declare private loadedAt: number;
  /** When the next automatic refresh is due, 0 when none. */
  declare private due: number;
  declare private connected: boolean;
  /** The view last rendered, serialised: an identical view is not rendered again. */
  declare private rendered: string;
  declare private onVisibility: () => void;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    adoptStyles(root);
    this.wrapper = root.appendChild(document.createElement('div'));
    this.wrapper.setAttribute('part', 'feed');
    this.feed = null;
    this.failure = null;
    this.cacheControl = null;
    this.controller = null;
    this.loadedAt = 0;
    this.due = 0;
    this.connected = false;
    this.rendered = '';
    this.onVisibility = () => {
      if (!document.hidden && this.due && Date.now() >= this.due && !this.controller)
        void this.load('no-cache');
    };
  }

  connectedCallback(): void {
    this.connected = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.loadedSrc !== this.getAttribute('src')) {
      void this.load();
    } else {
      this.render();
      this.schedule();
    }
  }

  disconnectedCallback(): void {
    this.connected = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.timer);
    this.controller?.abort();
    this.controller = null;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    // Before connectedCallback (parsing, upgrade) there is nothing to update yet.
    if (old === value || !this.connected) return;
    if (name === 'src') void this.load();
    else if (name === 'refresh') this.schedule();
    else this.render();
  }

  /** Fetches the feed again (revalidating with the server) and re-renders. Never rejects. */
  refresh(): Promise<void> {
    return this.load('no-cache');
  }

  private async load(cache?: RequestCache): Promise<void> {
    this.controller?.abort();
    clearTimeout(this.timer);
    const controller = new AbortController();
    this.controller = controller;
    const src = this.getAttribute('src');
    if (src !== this.loadedSrc) {
      // Another feed: nothing of the old one stays, not even its home page.
      this.feed = null;
      this.failure = null;
      this.cacheControl = null;
      this.render();
    }
    const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let loaded: Awaited<ReturnType<typeof fetchFeed>> | null = null;
    let failure: string | null = null;
    try {
      if (!src) throw new Error('Missing src attribute');
      loaded = await fetchFeed(new URL(src, document.baseURI).href, { cache, signal: controller.signal });
    } catch (error) {
      failure = controller.signal.aborted
        ? 'Timed out'
        : error instanceof Error
          ? error.message
          : String(error);
    }
    clearTimeout(timeout);
    // Replaced by a newer load, or disconnected: that one reports.
    if (this.controller !== controller) return;
    this.controller = null;
    this.loadedSrc = src;
    this.loadedAt = Date.now();
    this.failure = failure;
    if (loaded) {
      this.feed = loaded.feed;
      this.cacheControl = loaded.cacheControl;
    }
    const shown = this.render();
    if (failure) this.emit<TidingsErrorDetail>('tidings-error', { message: failure });
    else this.emit<TidingsLoadDetail>('tidings-load', { items: shown });
    this.schedule();
  }

  /** Renders the current state; returns how many items are shown. */
  private render(): number {
    const lang = normalizeLang(this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
    const view = buildView(this.feed, this.failure === null ? null : { href: this.sourcePage() }, {
      lang,
      limit: parseLimit(this.getAttribute('limit')),
      showSummary: parseFlag(this.getAttribute('show-summary')),
      showDate: parseFlag(this.getAttribute('show-date'), true),
      showImage: parseFlag(this.getAttribute('show-image')),
      relativeDates: parseFlag(this.getAttribute('relative-dates')),
      heading: this.getAttribute('heading') || null,
      now: Date.now(),
    });
    const key = JSON.stringify(view);
    if (key !== this.rendered) {
      this.rendered = key;
      // Keep keyboard focus on the same item when a refresh redraws the list.
      const focused = this.shadowRoot?.activeElement?.closest('li')?.dataset.id;
      renderView(this.wrapper, view);
      if (focused !== undefined) {
        for (const li of this.wrapper.querySelectorAll('li')) {
          if (li.dataset.id === focused) li.querySelector('a')?.focus();
        }
      }
    }
    return view.items.length;
  }

  /** Where the error message links: the feed's home page, else the light-DOM fallback link, else src. */
  private sourcePage(): string | null {
    const base = document.baseURI;
    return (
      this.feed?.homePageUrl ??
      safeUrl(this.querySelector('a[href]')?.getAttribute('href'), base) ??
      safeUrl(this.getAttribute('src'), base)
    );
  }

  /** Sets the timer for the next automatic refresh, if `refresh` asks for one. */
  private schedule(): void {
    clearTimeout(this.timer);
    const delay = refreshDelay(this.getAttribute('refresh'), this.cacheControl);
    this.due = delay === null || !this.loadedAt ? 0 : this.loadedAt + delay * 1000;
    // A load in progress schedules when it ends.
    if (!this.due || !this.connected || this.controller) return;
    // While the page is hidden the timer does nothing; becoming visible refreshes when overdue.
    this.timer = setTimeout(
      () => {
        if (!document.hidden) void this.load('no-cache');
      },
      Math.max(0, this.due - Date.now()),
    );
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tidings-feed': TidingsFeedElement;
  }
  interface HTMLElementEventMap {
    'tidings-load': CustomEvent<TidingsLoadDetail>;
    'tidings-error': CustomEvent<TidingsErrorDetail>;
  }
}

let defined = false;

/**
 * Registers the element as `name` (default `tidings-feed`) unless that name is taken, and returns
 * the constructor registered under it. A no-op where there are no custom elements.
 */
export function defineTidingsFeed(name = 'tidings-feed'): CustomElementConstructor | undefined {
  if (typeof customElements === 'undefined') return undefined;
  const existing = customElements.get(name);
  if (existing) return existing;
  // One constructor can back only one name: later names get a subclass.
  const element = defined ? class extends TidingsFeedElement {} : TidingsFeedElement;
  customElements.define(name, element);
  defined = true;
  return element;
}
