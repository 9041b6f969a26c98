import { createHash } from 'node:crypto';

/**
 * The feed page's only script, inline and the same for every feed (what it needs it reads from the
 * page's `data-` attributes), so the page's CSP can allow exactly it by hash. It makes the shown
 * URLs absolute against the address the visitor used, copies them (Clipboard API, else selects the
 * text for Ctrl+C), and keeps the widget's embed code and preview in step with its options.
 *
 * Plain ES2020 in a string: no template literals (they would be this file's), no `</script>`.
 */
export const FEED_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
  var esc = function (text) { return String(text).replace(/[&<>"]/g, function (c) { return ESCAPES[c]; }); };
  var absolute = function (path) { return new URL(path, location.href).href; };

  document.querySelectorAll('input[data-path]').forEach(function (input) {
    input.value = absolute(input.getAttribute('data-path'));
  });

  var timers = new WeakMap();
  var show = function (button, state, message) {
    var status = document.getElementById(button.getAttribute('data-status'));
    button.setAttribute('data-state', state);
    if (status) status.textContent = message;
    clearTimeout(timers.get(button));
    timers.set(button, setTimeout(function () {
      button.removeAttribute('data-state');
      if (status) status.textContent = '';
    }, 4000));
  };
  var select = function (target) {
    if (target instanceof HTMLInputElement) { target.focus(); target.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  var copy = function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var text = target instanceof HTMLInputElement ? target.value : target.textContent;
    var fallback = function () {
      select(target);
      show(button, 'selected', '已选中，请按 Ctrl+C 复制 · Selected: press Ctrl+C to copy');
    };
    if (!navigator.clipboard || !window.isSecureContext) { fallback(); return; }
    navigator.clipboard.writeText(text).then(function () {
      show(button, 'copied', '已复制 · Copied');
    }, fallback);
  };
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
    if (button) copy(button);
  });

  var embed = document.getElementById('embed');
  var options = document.getElementById('widget-options');
  var preview = document.getElementById('preview');
  var iframeCode = document.getElementById('code-iframe');
  var elementCode = document.getElementById('code-element');
  if (!embed || !options || !preview || !iframeCode || !elementCode) return;
  var feed = embed.getAttribute('data-feed');
  var title = embed.getAttribute('data-title');
  var home = embed.getAttribute('data-home');
  var field = function (name) { return options.querySelector('[name="' + name + '"]'); };
  var read = function () {
    var limit = Math.round(Number(field('limit').value));
    return {
      limit: limit >= 1 ? Math.min(limit, 100) : 10,
      theme: field('theme').value,
      layout: field('layout').value,
      summary: field('summary').checked,
      date: field('date').checked,
      image: field('image').checked,
    };
  };
  var pending;
  var update = function () {
    var o = read();
    var query = new URLSearchParams({ limit: String(o.limit) });
    if (o.theme !== 'auto') query.set('theme', o.theme);
    if (o.layout !== 'list') query.set('layout', o.layout);
    if (o.summary) query.set('summary', '1');
    if (!o.date) query.set('date', '0');
    if (o.image) query.set('image', '1');
    var path = '/widget/' + encodeURIComponent(feed) + '?' + query;
    iframeCode.textContent = '<iframe src="' + esc(absolute(path)) + '" title="' + esc(title) +
      '" style="width: 100%; height: 26rem; border: 0" loading="lazy"></iframe>';
    var attributes = ['src="' + esc(absolute('/feeds/' + encodeURIComponent(feed) + '.json')) + '"', 'limit="' + o.limit + '"'];
    if (o.theme !== 'auto') attributes.push('theme="' + esc(o.theme) + '"');
    if (o.layout !== 'list') attributes.push('layout="' + esc(o.layout) + '"');
    if (o.summary) attributes.push('show-summary');
    if (!o.date) attributes.push('show-date="false"');
    if (o.image) attributes.push('show-image');
    elementCode.textContent = '<script src="' + esc(absolute('/widget.js')) + '" async><\/script>\n' +
      '<tidings-feed ' + attributes.join(' ') + '>\n  <a href="' + esc(home) + '">' + esc(title) + '</a>\n</tidings-feed>';
    // Typing "25" asks for one page, not two.
    clearTimeout(pending);
    pending = setTimeout(function () {
      if (preview.getAttribute('src') !== path) preview.setAttribute('src', path);
    }, 150);
  };
  options.addEventListener('input', update);
  options.addEventListener('change', update);
  update();
})();
`;

/** For the page's `script-src`: this script and nothing else may run. */
export const FEED_PAGE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(FEED_PAGE_SCRIPT).digest('base64')}'`;
