// The Tidings console: the admin API (docs/admin-api.md) in one page. Plain DOM, text nodes only;
// the listing page is shown in a sandboxed srcdoc frame that runs no script, and this script,
// outside it, reads clicks and keys in the frame's document to write selectors.

const TOKEN_KEY = 'tidings.adminToken';
const FIELDS = ['item', 'title', 'link', 'date'];
const $ = (id) => document.getElementById(id);
const both = (zh, en) => `${zh} · ${en}`;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  /** The profile the last good preview used: what Save writes. */
  profile: undefined,
  /** False while the selectors on screen have not been previewed successfully. */
  profileOk: false,
  answer: undefined,
  /** The page shown in the picker, by URL: the frame is rebuilt only when it changes. */
  pageUrl: undefined,
  /** The source being edited (PUT), or undefined when adding one (POST). */
  editing: undefined,
  sources: [],
  previewSeq: 0,
  /** The latest preview, while it runs. */
  inflight: undefined,
  /** The id Save proposes, replaced on the next page unless the person changed it. */
  suggestedId: '',
};

/* ---------- DOM helpers ---------- */

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && key !== 'list') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

function say(id, text, kind = 'info') {
  const node = $(id);
  node.replaceChildren(...(Array.isArray(text) ? text : [text]));
  node.dataset.kind = kind;
}

/** An ISO time as the source printed it (its own offset), e.g. 2024-12-04 09:30 +08:00. */
function showTime(iso) {
  if (typeof iso !== 'string' || iso.length < 16) return iso ?? '';
  const zone = iso.slice(19).replace(/^\.\d+/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${zone && zone !== 'Z' ? ` ${zone}` : zone ? ' UTC' : ''}`;
}

/* ---------- the API ---------- */

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? `http-${status}`;
    this.path = body?.path;
    this.value = body?.value;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    cache: 'no-store',
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (error.code === 'unauthorized' || error.code === 'admin-off') signOut(explain(error));
    throw error;
  }
  return data;
}

/** What a person reads for an API error: the server's sentence, and the key and value it is about. */
function explain(error) {
  if (error.code === 'unauthorized') {
    return both('令牌不正确', 'The server refused this token: enter the admin token again.');
  }
  if (error.code === 'admin-off') {
    return both(
      '管理接口未开启',
      'The admin API is off: start the server with TIDINGS_ADMIN_TOKEN set (or admin.token in its config).',
    );
  }
  if (error.code === 'rate-limited') return both('请求太频繁，请稍候', 'Too many requests; wait a moment.');
  if (!(error instanceof ApiError)) {
    return both('无法连接服务器', `Could not reach the server (${error.message}).`);
  }
  const where = error.path
    ? ` (${error.path}${error.value !== undefined ? `: ${JSON.stringify(error.value)}` : ''})`
    : '';
  return `${error.message}${where}`;
}

/* ---------- signing in ---------- */

function signOut(message) {
  state.token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  if (message) say('token-message', message, 'error');
  $('token').focus();
}

async function signIn(token) {
  state.token = token;
  try {
    await loadSources();
  } catch (error) {
    if (!(error instanceof ApiError) || (error.code !== 'unauthorized' && error.code !== 'admin-off')) {
      signOut(explain(error));
    }
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  say('token-message', '');
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('url').focus();
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (!token) return say('token-message', both('请输入令牌', 'Enter the token.'), 'error');
  $('token').value = '';
  signIn(token);
});
$('sign-out').addEventListener('click', () => signOut(both('已退出', 'Signed out.')));

/* ---------- rules: what the inputs show ↔ the profile's form ---------- */

/** A field rule as one line: `a.title`, `a@href`, `@href` (the item's own), '' (the item's text), or JSON. */
function ruleText(rule) {
  if (rule === undefined) return '';
  if (typeof rule === 'string') return rule;
  if (!Array.isArray(rule) && rule && !rule.pattern && !rule.format) {
    if (!rule.attribute) return rule.selector ?? '';
    return `${rule.selector ?? ''}@${rule.attribute}`;
  }
  return JSON.stringify(rule);
}

function ruleFromText(text) {
  const line = text.trim();
  if (line.startsWith('{') || line.startsWith('[')) {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(both('规则的 JSON 有误', `This rule is not valid JSON: ${line}`));
    }
  }
  if (line === '') return {};
  const attribute = /^(.*?)\s*@([A-Za-z_][\w:.-]*)$/.exec(line);
  if (attribute)
    return attribute[1] ? { selector: attribute[1], attribute: attribute[2] } : { attribute: attribute[2] };
  return line;
}

/** The CSS selector a rule reads (its first, for a list), or undefined for the item itself. */
function ruleSelector(rule) {
  const first = Array.isArray(rule) ? rule[0] : rule;
  if (typeof first === 'string') return first.replace(/@[\w:.-]+$/, '') || undefined;
  return first?.selector || undefined;
}

function htmlList(profile) {
  return profile && typeof profile === 'object' && profile.list && 'item' in profile.list
    ? profile.list
    : undefined;
}

function showRules(profile) {
  const list = htmlList(profile);
  for (const field of FIELDS) $(`rule-${field}`).value = list ? ruleText(list[field]) : '';
  const note =
    typeof profile === 'string'
      ? both(
          `使用已注册的配置 ${profile}`,
          `Read by the registered profile "${profile}"; picking writes selectors instead.`,
        )
      : profile && !list
        ? both(
            '这个列表按 JSON 路径读取',
            'This list is read by JSON paths; picking writes HTML selectors instead.',
          )
        : '';
  $('profile-note').textContent = note;
}

/** The profile the inputs describe: the last one with its list rules replaced. */
function profileFromInputs() {
  const base = state.profile;
  const list = {};
  for (const field of FIELDS) {
    const text = $(`rule-${field}`).value;
    list[field] = field === 'item' ? text.trim() : ruleFromText(text);
  }
  if (!list.item)
    throw new Error(both('条目选择器不能为空', 'The item selector is empty: pick an item first.'));
  const content = htmlList(base)?.content;
  if (content && list.item === htmlList(base).item) list.content = content;
  if (base && typeof base === 'object') return { ...base, list };
  return base && base !== 'auto' ? { extends: base, list } : { list };
}

/* ---------- writing selectors for a picked element ---------- */

const STABLE = /^-?[A-Za-z_][\w-]*$/;
const GENERATED = /\d{3,}|^(?:css|jsx|sc|svelte|emotion|ng)-|^_[\w-]{4,}$/;
const STATES = new Set(
  'on active current cur curr selected sel hover first last odd even alt thisclass'.split(' '),
);
const MARKERS = new Set('new hot top fl fr left right clearfix'.split(' '));

/** Classes a selector can rely on: plain names, not generated, not a state (`on`, `active`). */
function stableClasses(node) {
  return [...node.classList].filter(
    (name) => STABLE.test(name) && name.length <= 40 && !GENERATED.test(name) && !STATES.has(name),
  );
}

function stableId(node) {
  return node.id && STABLE.test(node.id) && !GENERATED.test(node.id) ? node.id : undefined;
}

function simple(node, classes = stableClasses(node).slice(0, 2)) {
  return node.localName + classes.map((name) => `.${CSS.escape(name)}`).join('');
}

function queryAll(root, selector) {
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

function queryOne(root, selector) {
  try {
    return selector === undefined ? root : root.querySelector(selector);
  } catch {
    return null;
  }
}

/** `node`'s kind among its siblings: its tag and the classes all its like siblings share. */
function kindOf(node) {
  const classes = stableClasses(node).filter((name) => !MARKERS.has(name) && !/\d/.test(name));
  const siblings = [...(node.parentElement?.children ?? [])].filter(
    (other) => other.localName === node.localName && classes.every((name) => other.classList.contains(name)),
  );
  return { selector: simple(node, classes.slice(0, 2)), siblings };
}

/**
 * The item selector for a click anywhere in an item: the nearest ancestor repeated among its
 * siblings (with a link in each, as a list of articles has), named from its container up until the
 * selector picks exactly that group: `ul.e2 > li`, `#news > div.item`.
 */
function itemSelectorFor(target) {
  let fallback;
  for (let node = target; node?.parentElement && node.localName !== 'body'; node = node.parentElement) {
    const { selector, siblings } = kindOf(node);
    if (siblings.length < 2) continue;
    const linked = siblings.every(
      (sibling) => sibling.matches('a[href]') || sibling.querySelector('a[href]'),
    );
    const written = containerPath(node.parentElement, selector, siblings);
    if (linked) return written;
    fallback ??= written;
  }
  return fallback ?? containerPath(target.parentElement ?? target, simple(target), [target]);
}

function containerPath(container, kind, members) {
  const doc = container.ownerDocument;
  let path = '';
  let written = kind;
  for (let node = container, depth = 0; node && depth < 4; node = node.parentElement, depth++) {
    const id = stableId(node);
    path = `${id ? `#${CSS.escape(id)}` : simple(node)}${path ? ` ${path}` : ''}`;
    written = `${path} > ${kind}`;
    const found = queryAll(doc, written);
    if (id || (found.length === members.length && members.every((member) => found.includes(member)))) break;
    if (node.localName === 'body') break;
  }
  return written;
}

/**
 * A selector below `item` whose first match is `target`, the most readable that most items have:
 * `p.intro`, `span.info small`, `span`, `span:nth-of-type(2)`; undefined for the item itself.
 */
function fieldSelectorFor(target, item, items) {
  if (target === item) return undefined;
  const tag = target.localName;
  const parent = target.parentElement;
  const candidates = [];
  if (stableClasses(target).length > 0) candidates.push(simple(target));
  if (parent && parent !== item) candidates.push(`${simple(parent)} ${tag}`);
  candidates.push(tag);
  if (parent) {
    const same = [...parent.children].filter((child) => child.localName === tag);
    if (same.length > 1)
      candidates.push(
        `${parent === item ? '' : `${simple(parent)} > `}${tag}:nth-of-type(${same.indexOf(target) + 1})`,
      );
  }
  candidates.push(pathBelow(target, item));
  const exact = [...new Set(candidates)].filter((selector) => queryOne(item, selector) === target);
  const coverage = (selector) => items.filter((other) => queryOne(other, selector)).length;
  exact.sort((a, b) => coverage(b) - coverage(a));
  return exact[0] ?? pathBelow(target, item);
}

/** `div:nth-of-type(2) > span:nth-of-type(1)`: the full path from the item, when nothing shorter fits. */
function pathBelow(target, item) {
  const steps = [];
  for (let node = target; node && node !== item; node = node.parentElement) {
    const same = [...(node.parentElement?.children ?? [])].filter(
      (child) => child.localName === node.localName,
    );
    steps.unshift(
      same.length > 1 ? `${node.localName}:nth-of-type(${same.indexOf(node) + 1})` : node.localName,
    );
  }
  return `:scope > ${steps.join(' > ')}`;
}

/* ---------- the picker frame ---------- */

const frame = $('picker');
const DROPPED =
  'script, iframe, frame, frameset, object, embed, applet, portal, base, meta[http-equiv], link:not([rel~="stylesheet" i])';
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'background',
  'data',
  'srcset',
]);
const FOCUSABLE = 'a, area, button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]';

/**
 * The answer's page is already harmless (the server strips scripts, handlers and javascript: URLs);
 * this strips them again so that the frame never depends on one layer alone.
 */
function harmlessPage(html, url) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const node of doc.querySelectorAll(DROPPED)) node.remove();
  for (const node of doc.querySelectorAll('*')) {
    for (const { name, value } of [...node.attributes]) {
      const lower = name.toLowerCase();
      const scheme = value.replace(/[\s\p{Cc}]+/gu, '').toLowerCase();
      const risky =
        /^(?:javascript|vbscript):/.test(scheme) || (scheme.startsWith('data:') && node.localName !== 'img');
      if (lower.startsWith('on') || (URL_ATTRIBUTES.has(lower) && risky)) node.removeAttribute(name);
    }
  }
  // One tab stop for the whole page: the picker moves through it with the arrow keys.
  for (const node of doc.querySelectorAll(FOCUSABLE)) node.setAttribute('tabindex', '-1');
  doc.head.prepend(el('base', { href: url }));
  doc.head.append(
    el('link', { rel: 'stylesheet', href: new URL('/console/console.css', location.href).href }),
  );
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}

function showPage(page) {
  state.pageUrl = page.url;
  cursor = undefined;
  frame.srcdoc = harmlessPage(page.html, page.url);
  awaitFrame(Date.now() + 10_000);
}

let cursor;
const wired = new WeakSet();

function frameDocument() {
  try {
    const doc = frame.contentDocument;
    return doc && doc.URL === 'about:srcdoc' ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** Wires the new copy as soon as it is parsed: `load` waits for its images, which may be slow. */
function awaitFrame(deadline) {
  const doc = frameDocument();
  if (doc && !wired.has(doc) && doc.readyState !== 'loading') return wire(doc);
  if (Date.now() < deadline) setTimeout(() => awaitFrame(deadline), 30);
}

frame.addEventListener('load', () => {
  const doc = frameDocument();
  if (doc) {
    if (!wired.has(doc)) wire(doc);
  } else if (state.answer?.page) {
    // Something navigated the frame away: show the copy again.
    showPage(state.answer.page);
  }
});

function wire(doc) {
  wired.add(doc);
  doc.addEventListener('click', onFrameClick, true);
  doc.addEventListener('auxclick', stop, true);
  doc.addEventListener('submit', stop, true);
  doc.addEventListener('mouseover', (event) => point(event.target, false));
  doc.addEventListener('keydown', onFrameKey);
  // Tabbing into the frame focuses its document, not an element: start the cursor at the first item.
  doc.defaultView.addEventListener('focus', () => {
    if (!cursor || !doc.contains(cursor))
      point(currentItems(doc)[0] ?? doc.body.firstElementChild ?? doc.body, true);
  });
  markRules();
}

function stop(event) {
  event.preventDefault();
  event.stopPropagation();
}

function onFrameClick(event) {
  stop(event);
  if (event.target.nodeType === Node.ELEMENT_NODE) pick(event.target);
}

function onFrameKey(event) {
  const doc = frameDocument();
  if (!doc) return;
  const at = cursor && doc.contains(cursor) ? cursor : doc.body;
  const moves = {
    ArrowDown: () => at.nextElementSibling,
    ArrowUp: () => at.previousElementSibling,
    ArrowRight: () => at.firstElementChild,
    ArrowLeft: () => (at.parentElement && at.parentElement !== doc.documentElement ? at.parentElement : null),
  };
  if (moves[event.key]) {
    event.preventDefault();
    const next = moves[event.key]();
    if (next) point(next, true);
  } else if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    pick(at);
  } else if (event.key === 'Escape') {
    event.preventDefault();
    frame.blur();
    $('rule-item').focus();
  }
}

/** The element under the mouse or the keyboard's cursor: outlined, and named outside the frame. */
function point(node, scroll) {
  cursor?.removeAttribute('data-tidings-cursor');
  cursor = node;
  node.setAttribute('data-tidings-cursor', '');
  if (scroll) node.scrollIntoView({ block: 'nearest' });
  const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
  $('picker-at').textContent = `${simple(node)}${text ? ` — ${text}` : ''}`;
}

function currentItems(doc) {
  const selector = $('rule-item').value.trim();
  return selector ? queryAll(doc, selector) : [];
}

function pickMode() {
  return document.querySelector('input[name="pick"]:checked').value;
}

/** A click (or Enter) on `target`: the selector for the chosen field, then a new preview. */
function pick(target) {
  const doc = target.ownerDocument;
  const mode = pickMode();
  point(target, false);
  for (const node of doc.querySelectorAll('[data-tidings-picked]'))
    node.removeAttribute('data-tidings-picked');
  target.setAttribute('data-tidings-picked', '');
  if (mode === 'item') {
    $('rule-item').value = itemSelectorFor(target);
  } else {
    const items = currentItems(doc);
    const item = items.find((candidate) => candidate === target || candidate.contains(target));
    if (!item) {
      say(
        'preview-message',
        both(
          '这个元素不在任何条目内',
          'That element is not inside an item: pick the item first, or pick inside an outlined item.',
        ),
        'error',
      );
      return;
    }
    let node = target;
    if (mode === 'link') node = target.closest('a[href]') ?? target.querySelector('a[href]') ?? target;
    if (mode === 'link' && !item.contains(node)) node = item;
    const selector = fieldSelectorFor(node, item, items);
    $(`rule-${mode}`).value = mode === 'link' ? `${selector ?? ''}@href` : (selector ?? '');
  }
  previewFromInputs();
}

/** Outlines the items and their fields as the inputs describe them. */
function markRules() {
  const doc = frameDocument();
  if (!doc) return;
  for (const node of doc.querySelectorAll('[data-tidings-item], [data-tidings-field]')) {
    node.removeAttribute('data-tidings-item');
    node.removeAttribute('data-tidings-field');
  }
  for (const item of currentItems(doc)) {
    item.setAttribute('data-tidings-item', '');
    for (const field of FIELDS.slice(1)) {
      let rule;
      try {
        rule = ruleFromText($(`rule-${field}`).value);
      } catch {
        continue;
      }
      const node = queryOne(item, ruleSelector(rule));
      if (!node) continue;
      const marks = node.getAttribute('data-tidings-field');
      node.setAttribute('data-tidings-field', marks ? `${marks} ${field}` : field);
    }
  }
}

/* ---------- preview ---------- */

function previewRequest(profile) {
  return {
    url: $('url').value.trim(),
    ...(profile !== undefined && { profile }),
    ...($('render-browser').checked && { render: 'browser' }),
    allowPrivateNetwork: $('private-network').checked,
  };
}

/** Previews `profile` (undefined: as a new source would be read); Save waits for the latest. */
function preview(profile, options) {
  state.inflight = runPreview(profile, options);
  return state.inflight;
}

async function runPreview(profile, { fresh = false } = {}) {
  const request = previewRequest(profile);
  if (!request.url) return say('preview-message', both('请输入网址', 'Enter the listing page URL.'), 'error');
  const seq = ++state.previewSeq;
  state.profileOk = false;
  say('preview-message', both('正在读取页面…', 'Reading the page…'), 'busy');
  let answer;
  try {
    answer = await api('POST', '/api/preview', request);
  } catch (error) {
    if (seq === state.previewSeq) say('preview-message', explain(error), 'error');
    return;
  }
  if (seq !== state.previewSeq) return;
  state.answer = answer;
  state.profile = answer.profile;
  state.profileOk = true;
  $('workbench').hidden = false;
  if (answer.detection || fresh) showCandidates(answer.detection);
  showRules(answer.profile);
  showItems(answer.articles ?? [], answer.skipped ?? []);
  showArticle(answer.article, answer.articleError);
  for (const id of ['picker', 'picker-hint', 'pick-mode']) $(id).hidden = !answer.page;
  $('picker-none').hidden = Boolean(answer.page);
  if (answer.page && (fresh || answer.page.url !== state.pageUrl)) showPage(answer.page);
  else markRules();
  const id = $('source-id');
  if (fresh && !state.editing && (!id.value || id.value === state.suggestedId)) {
    state.suggestedId = suggestId(answer.url ?? request.url);
    id.value = state.suggestedId;
  }
  const ms = answer.timings
    ? Object.values(answer.timings).reduce((sum, value) => sum + value, 0)
    : undefined;
  say(
    'preview-message',
    both(
      `读到 ${answer.articles?.length ?? 0} 条`,
      `${answer.articles?.length ?? 0} items read${ms !== undefined ? ` in ${Math.round(ms)} ms` : ''}.`,
    ),
    'ok',
  );
}

function previewFromInputs() {
  let profile;
  try {
    profile = profileFromInputs();
  } catch (error) {
    state.profileOk = false;
    return say('preview-message', error.message, 'error');
  }
  markRules();
  return preview(profile);
}

$('preview-form').addEventListener('submit', (event) => {
  event.preventDefault();
  preview(state.editing && state.editing.url === $('url').value.trim() ? state.editing.profile : undefined, {
    fresh: true,
  });
});

$('rules-form').addEventListener('submit', (event) => {
  event.preventDefault();
  previewFromInputs();
});
$('rules-form').addEventListener('change', () => previewFromInputs());

function showCandidates(detection) {
  const candidates = detection?.candidates ?? [];
  $('candidates-box').hidden = candidates.length === 0;
  $('candidates').replaceChildren(
    ...candidates.map((candidate, index) => {
      const chosen = index === (detection.chosen ?? 0);
      const use = () => {
        for (const button of $('candidates').querySelectorAll('button'))
          button.setAttribute('aria-pressed', 'false');
        button.setAttribute('aria-pressed', 'true');
        const base = state.profile && typeof state.profile === 'object' ? state.profile : {};
        state.profile = { ...base, list: candidate.list ?? { ...htmlList(base), item: candidate.item } };
        showRules(state.profile);
        previewFromInputs();
      };
      const button = el(
        'button',
        { type: 'button', 'aria-pressed': String(chosen), onclick: use },
        both('选用', 'Use this'),
      );
      const score = typeof candidate.score === 'number' ? candidate.score.toFixed(2) : candidate.score;
      return el(
        'li',
        { class: chosen ? 'candidate chosen' : 'candidate' },
        el(
          'p',
          {},
          el('code', {}, candidate.item),
          ` — ${both(`${candidate.count} 条`, `${candidate.count} items`)}, ${both('得分', 'score')} ${score} `,
          button,
        ),
        el(
          'ul',
          { class: 'titles' },
          ...(candidate.articles ?? []).slice(0, 3).map((article) => el('li', {}, article.title)),
          candidate.error ? el('li', { class: 'error' }, candidate.error) : undefined,
        ),
      );
    }),
  );
}

function showItems(articles, skipped) {
  $('items-count').textContent = `(${articles.length})`;
  $('skipped').textContent =
    skipped.length > 0
      ? both(
          `跳过 ${skipped.length} 条`,
          `${skipped.length} skipped: ${skipped.map((skip) => `#${skip.index + 1} ${skip.field} ${skip.reason}`).join('; ')}`,
        )
      : '';
  $('items').replaceChildren(
    ...articles.map((article) =>
      el(
        'li',
        {},
        el(
          'a',
          {
            href: article.url ?? undefined,
            rel: 'noopener noreferrer',
            target: '_blank',
            class: 'item-title',
          },
          article.title,
        ),
        ' ',
        el('time', { dateTime: article.publishedAt }, showTime(article.publishedAt)),
        article.summary ? el('p', { class: 'summary' }, article.summary.slice(0, 160)) : undefined,
      ),
    ),
  );
}

function showArticle(article, why) {
  if (!article) {
    $('article').replaceChildren(
      el(
        'p',
        { class: 'hint' },
        both('没有读到文章页', "The first article's page could not be read"),
        why ? `: ${why}` : '.',
      ),
    );
    return;
  }
  $('article').replaceChildren(
    el('h4', {}, el('a', { href: article.url, rel: 'noopener noreferrer', target: '_blank' }, article.title)),
    el(
      'p',
      { class: 'meta' },
      el('time', { dateTime: article.publishedAt }, showTime(article.publishedAt)),
      article.author ? ` · ${article.author}` : '',
    ),
    el('p', { class: 'text' }, (article.text ?? '').slice(0, 600)),
  );
}

function suggestId(url) {
  let base = 'news';
  try {
    const { pathname, hostname } = new URL(url);
    const segment = pathname
      .split('/')
      .filter(Boolean)
      .pop()
      ?.replace(/\.\w+$/, '');
    base =
      (segment && !/^index/i.test(segment)
        ? segment
        : (hostname.split('.').find((part) => part !== 'www') ?? base)
      )
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 56) || 'news';
  } catch {}
  const taken = new Set(state.sources.map((entry) => entry.source.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/* ---------- save ---------- */

function sourceFromForm() {
  const title = $('source-title').value.trim();
  const source = {
    ...(state.editing ?? {}),
    id: $('source-id').value.trim(),
    url: $('url').value.trim(),
    profile: state.profile,
    refresh: $('source-refresh').value.trim() || '30m',
    pages: Number($('source-pages').value) || 1,
    fullText: $('source-full-text').checked,
  };
  if (title) source.title = title;
  else delete source.title;
  if ($('private-network').checked) source.allowPrivateNetwork = true;
  else delete source.allowPrivateNetwork;
  if ($('render-browser').checked) source.render = 'browser';
  else delete source.render;
  if (source.profile === undefined) delete source.profile;
  return source;
}

$('save-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  await state.inflight;
  if (!state.profileOk) {
    return say(
      'save-message',
      both('请先成功预览', 'Preview must succeed before saving: fix the selectors, then preview again.'),
      'error',
    );
  }
  const source = sourceFromForm();
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(source.id)) {
    $('source-id').focus();
    return say(
      'save-message',
      both(
        '编号只能包含小写字母、数字和短横线',
        'The id takes lowercase letters, digits and dashes (at most 64).',
      ),
      'error',
    );
  }
  const editing = state.editing;
  $('save-button').disabled = true;
  say('save-message', both('正在保存…', 'Saving…'), 'busy');
  try {
    if (editing) await api('PUT', `/api/sources/${encodeURIComponent(editing.id)}`, source);
    else await api('POST', '/api/sources', source);
  } catch (error) {
    say('save-message', explain(error), 'error');
    return;
  } finally {
    $('save-button').disabled = false;
  }
  state.editing = source;
  setMode('edit');
  const link = el(
    'a',
    { href: `/feeds/${encodeURIComponent(source.id)}`, id: 'feed-link' },
    both(`打开 ${source.id} 的页面`, "Open the feed's page"),
  );
  say(
    'save-message',
    [both(editing ? '已更新' : '已保存', editing ? 'Updated.' : 'Saved.'), ' ', link],
    'ok',
  );
  link.focus();
  loadSources().catch((error) => say('sources-message', explain(error), 'error'));
});

function setMode(mode) {
  const editing = mode === 'edit';
  $('mode-zh').textContent = editing ? '编辑订阅源' : '添加订阅源';
  $('mode-en').textContent = editing ? `Edit “${state.editing.id}”` : 'Add a source';
  $('source-id').readOnly = editing;
  $('cancel-edit').hidden = !editing;
}

$('cancel-edit').addEventListener('click', () => {
  state.editing = undefined;
  setMode('add');
  $('save-form').reset();
  $('url').value = '';
  $('workbench').hidden = true;
  say('save-message', '');
  say('preview-message', '');
  $('url').focus();
});

/* ---------- the configured sources ---------- */

async function loadSources() {
  const { sources } = await api('GET', '/api/sources');
  state.sources = sources;
  $('sources').replaceChildren(...sources.map(sourceRow));
  if (sources.length === 0) say('sources-message', both('还没有订阅源', 'No sources yet.'), 'empty');
  else if ($('sources-message').dataset.kind === 'empty') say('sources-message', '');
}

function sourceRow(entry) {
  const { source, status = {} } = entry;
  const enabled = source.enabled !== false;
  const confirmBox = el('div', {
    class: 'confirm',
    hidden: true,
    role: 'group',
    'aria-label': both('确认删除', 'Confirm delete'),
  });
  const row = el(
    'li',
    { class: enabled ? 'source' : 'source off', 'data-id': source.id },
    el(
      'h3',
      {},
      el('a', { href: `/feeds/${encodeURIComponent(source.id)}` }, source.id),
      source.title ? ` — ${source.title}` : '',
    ),
    el(
      'p',
      { class: 'meta' },
      el('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, source.url),
    ),
    el('p', { class: 'meta' }, statusText(entry, enabled)),
    status.lastError && status.consecutiveFailures > 0
      ? el(
          'p',
          { class: 'error' },
          both(`上次错误（${status.consecutiveFailures}×）`, `Last error (${status.consecutiveFailures}×)`),
          ': ',
          status.lastError,
        )
      : undefined,
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => startEdit(entry) }, both('编辑', 'Edit')),
      el(
        'button',
        { type: 'button', onclick: () => setEnabled(source, !enabled) },
        enabled ? both('停用', 'Disable') : both('启用', 'Enable'),
      ),
      el(
        'button',
        { type: 'button', onclick: (event) => refreshNow(source, event.currentTarget), disabled: !enabled },
        both('立即更新', 'Refresh now'),
      ),
      el(
        'button',
        { type: 'button', class: 'danger', onclick: () => askDelete(confirmBox, source) },
        both('删除', 'Delete'),
      ),
    ),
    confirmBox,
  );
  return row;
}

function statusText(entry, enabled) {
  const { status = {} } = entry;
  const parts = [
    enabled ? both('启用', 'on') : both('已停用', 'disabled'),
    both(`${entry.articles ?? 0} 篇`, 'articles'),
  ];
  if (status.lastSuccessAt) parts.push(both('更新于', 'refreshed'), showTime(status.lastSuccessAt));
  if (enabled && status.nextRunAt) parts.push(both('下次', 'next'), showTime(status.nextRunAt));
  return parts.join(' ');
}

function startEdit(entry) {
  const { source } = entry;
  state.editing = source;
  setMode('edit');
  $('url').value = source.url;
  $('private-network').checked = source.allowPrivateNetwork === true;
  $('render-browser').checked = source.render === 'browser';
  $('source-id').value = source.id;
  $('source-title').value = source.title ?? '';
  $('source-refresh').value = typeof source.refresh === 'string' ? source.refresh : '30m';
  $('source-pages').value = String(source.pages ?? 1);
  $('source-full-text').checked = source.fullText !== false;
  say('save-message', '');
  $('add-title').focus();
  preview(source.profile, { fresh: true });
}

async function setEnabled(source, enabled) {
  try {
    await api('PUT', `/api/sources/${encodeURIComponent(source.id)}`, { ...source, enabled });
    await loadSources();
    say(
      'sources-message',
      both(
        enabled ? `已启用 ${source.id}` : `已停用 ${source.id}`,
        `${source.id} ${enabled ? 'enabled' : 'disabled'}.`,
      ),
      'ok',
    );
  } catch (error) {
    say('sources-message', explain(error), 'error');
  }
}

async function refreshNow(source, button) {
  button.disabled = true;
  say('sources-message', both(`正在更新 ${source.id}…`, `Refreshing ${source.id}…`), 'busy');
  try {
    const { outcome } = await api('POST', `/api/sources/${encodeURIComponent(source.id)}/refresh`);
    await loadSources();
    const summary = outcome?.error
      ? `${both('失败', 'failed')}: ${outcome.error}`
      : both(
          `新增 ${outcome?.added ?? 0}，更新 ${outcome?.updated ?? 0}`,
          `${outcome?.added ?? 0} added, ${outcome?.updated ?? 0} updated`,
        );
    say('sources-message', `${source.id}: ${summary}`, outcome?.error ? 'error' : 'ok');
  } catch (error) {
    say('sources-message', explain(error), 'error');
  } finally {
    button.disabled = false;
  }
}

/** Deleting asks first, inside the row (no window.confirm); Escape or Cancel keep the source. */
function askDelete(box, source) {
  const trigger = box.previousElementSibling.querySelector('.danger');
  const close = () => {
    box.hidden = true;
    box.replaceChildren();
    trigger.focus();
  };
  const cancel = el('button', { type: 'button', onclick: close }, both('取消', 'Cancel'));
  box.replaceChildren(
    el(
      'p',
      { class: 'question' },
      both(
        `删除 ${source.id}？它的订阅源将停止提供，历史记录保留。`,
        `Delete ${source.id}? Its feeds stop being served; its history is kept.`,
      ),
    ),
    el(
      'button',
      { type: 'button', class: 'danger', onclick: () => remove(source) },
      both('确认删除', 'Delete'),
    ),
    ' ',
    cancel,
  );
  box.onkeydown = (event) => {
    if (event.key === 'Escape') close();
  };
  box.hidden = false;
  cancel.focus();
}

async function remove(source) {
  try {
    await api('DELETE', `/api/sources/${encodeURIComponent(source.id)}`);
    if (state.editing?.id === source.id) $('cancel-edit').click();
    await loadSources();
    say('sources-message', both(`已删除 ${source.id}`, `${source.id} deleted.`), 'ok');
    $('sources-title').focus();
  } catch (error) {
    say('sources-message', explain(error), 'error');
  }
}

/* ---------- start ---------- */

if (state.token) signIn(state.token);
else $('token').focus();
