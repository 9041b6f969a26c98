import { load } from 'cheerio';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { pickerPage } from '../src/admin/picker-page.js';
import { listingPage, siteItems } from './admin-support.js';

const URL = 'https://school.example.org/news/';

const clean = (html: string) => pickerPage(html, URL);

describe('pickerPage: what can run is removed', () => {
  it('removes scripts with their content, wherever they are', () => {
    const html = clean(
      '<html><head><script>alert(1)</script></head><body><p>a</p><svg><script>alert(2)</script></svg><script src="x.js"></script></body></html>',
    );
    expect(html).not.toMatch(/script|alert/i);
    expect(html).toContain('<p>a</p>');
  });

  it('removes every event handler attribute, whatever its case', () => {
    const html = clean(
      '<img src="a.png" onerror="alert(1)"><div ONCLICK="x()" onMouseOver="y()" class="c">t</div>',
    );
    expect(html).not.toMatch(/on[a-z]+=/i);
    expect(html).toContain('<img src="a.png">');
    expect(html).toContain('<div class="c">t</div>');
  });

  it('removes javascript: URLs, also when hidden by entities, case, spaces or control characters', () => {
    const html = clean(
      [
        '<a href="javascript:alert(1)">1</a>',
        '<a href=" JaVaScRiPt:alert(2)">2</a>',
        '<a href="jav&#x09;ascript:alert(3)">3</a>',
        '<a href="&#106;avascript:alert(4)">4</a>',
        '<svg><a xlink:href="javascript:alert(5)">5</a></svg>',
        '<a href="vbscript:msgbox(6)">6</a>',
        '<a href="/news/7.html">7</a>',
      ].join(''),
    );
    expect(html).not.toMatch(/script:/i);
    expect(html).toContain('<a>1</a>');
    expect(html).toContain('<a href="/news/7.html">7</a>');
  });

  it('removes data: URLs except images', () => {
    const html = clean(
      '<a href="data:text/html,<script>alert(1)</script>">x</a><img src="data:image/png;base64,AAAA"><object data="data:text/html,x"></object>',
    );
    expect(html).toContain('<a>x</a>');
    expect(html).toContain('<img src="data:image/png;base64,AAAA">');
    expect(html).not.toContain('text/html');
  });

  it("removes iframes, objects, embeds, forms' actions, refreshes and bases", () => {
    const html = clean(
      '<html><head><meta http-equiv="refresh" content="0; url=https://evil.example/"><base href="https://evil.example/"><link rel="preload" href="x.js"><link rel="stylesheet" href="s.css"></head>' +
        '<body><iframe src="https://evil.example/"><p>inside</p></iframe><object data="x.swf"></object><embed src="x.swf">' +
        '<form action="https://evil.example/steal" method="post"><button formaction="https://evil.example/">go</button></form></body></html>',
    );
    expect(html).not.toMatch(/<iframe|<object|<embed|http-equiv|evil\.example|preload|inside/);
    expect(html).toContain('<form method="post"><button>go</button></form>');
    expect(html).toContain('<link rel="stylesheet" href="s.css">');
  });

  it('adds one <base href> of the page, in the head, after the doctype', () => {
    const html = clean('<!doctype html><html><head><title>t</title></head><body></body></html>');
    expect(html.startsWith(`<!doctype html><html><head><base href="${URL}"><title>t</title>`)).toBe(true);
    expect(html.match(/<base /g)).toHaveLength(1);
    expect(clean('<!DOCTYPE html><p>no head</p>')).toBe(`<!DOCTYPE html><base href="${URL}"><p>no head</p>`);
  });

  it('keeps text as text: what was escaped stays escaped', () => {
    const html = clean(
      '<p title="a &quot;b&quot; &amp; c">1 &lt; 2 &amp;&amp; <b>3</b> &gt; 2</p><style>ul > li { color: red }</style>',
    );
    expect(html).toContain('<p title="a &quot;b&quot; &amp; c">1 &lt; 2 &amp;&amp; <b>3</b> &gt; 2</p>');
    expect(html).toContain('<style>ul > li { color: red }</style>');
  });
});

describe('pickerPage: what a selector needs is kept', () => {
  it('keeps every element, class and id, so selectors select the same elements', () => {
    const page = listingPage(siteItems(12));
    const html = clean(page);
    // Both read as the parser reads pages (htmlparser2), queried with the same selector engine.
    const original = load(parseDocument(page));
    const copy = load(parseDocument(html));
    for (const selector of [
      'ul.news > li',
      'li.row a',
      '#item-7 span.date',
      'div#main.column h1',
      'nav.top a',
      'footer',
    ]) {
      expect(copy(selector).length, selector).toBe(original(selector).length);
      expect(copy(selector).text(), selector).toBe(original(selector).text());
    }
    expect(copy('ul.news > li')).toHaveLength(12);
    expect(html).toContain(
      '<li class="row" id="item-12"><a href="/news/12.html" title="关于第 12 期校园活动安排的通知">通知 12</a>',
    );
  });

  it('closes every element explicitly, as the parser nests them', () => {
    expect(clean('<ul><li>one<li>two</ul><p>para<div>block</div>')).toBe(
      `<base href="${URL}"><ul><li>one</li><li>two</li></ul><p>para</p><div>block</div>`,
    );
  });
});
