/** The dark palette: for theme="dark", and for auto under prefers-color-scheme: dark. */
const dark =
  '--tidings-bg:#0d1117;--tidings-fg:#e6edf3;--tidings-muted:#9198a1;--tidings-link:#6cb6ff;' +
  '--tidings-border:#3d444d;--tidings-focus:#6cb6ff;color-scheme:dark';

/**
 * The shadow root's stylesheet. Colours, spacing and font come from custom properties set on the
 * host, so the page overrides them with `tidings-feed { --tidings-link: … }` (page rules win over
 * `:host`). Layout and theme are attribute selectors on the host: changing them restyles at once.
 */
export const css = `:host{--tidings-bg:#fff;--tidings-fg:#1f2328;--tidings-muted:#59636e;--tidings-link:#0b57d0;\
--tidings-border:#d1d9e0;--tidings-radius:8px;--tidings-gap:.75rem;--tidings-focus:#0b57d0;\
--tidings-font:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;\
display:block;background:var(--tidings-bg);color:var(--tidings-fg);font-family:var(--tidings-font);\
line-height:1.5;border-radius:var(--tidings-radius);color-scheme:light}
:host([hidden]){display:none}
:host([theme=dark]){${dark}}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){${dark}}}
[part=feed]{padding:var(--tidings-gap)}
h2{margin:0 0 .5rem;font-size:1.125em;line-height:1.3}
ul{list-style:none;margin:0;padding:0}
li{display:flow-root;padding:.625rem 0}
li+li{border-top:1px solid var(--tidings-border)}
:host([layout=cards]) ul{display:grid;gap:var(--tidings-gap);grid-template-columns:repeat(auto-fill,minmax(min(100%,15rem),1fr))}
:host([layout=cards]) li{border:1px solid var(--tidings-border);border-radius:var(--tidings-radius);padding:var(--tidings-gap)}
a{color:var(--tidings-link);text-underline-offset:.15em}
a:focus-visible{outline:2px solid var(--tidings-focus);outline-offset:2px;border-radius:2px}
[part=link],[part=title]{font-weight:600;text-decoration:none;overflow-wrap:anywhere}
[part=link]:hover{text-decoration:underline}
time{display:block;margin-top:.125rem;font-size:.875em;color:var(--tidings-muted)}
[part=summary]{margin:.25rem 0 0;color:var(--tidings-muted);font-size:.9375em;overflow:hidden;\
display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;line-clamp:3}
img{float:right;width:5.5rem;aspect-ratio:4/3;object-fit:cover;margin:0 0 .25rem .75rem;\
border-radius:calc(var(--tidings-radius)/2);background:var(--tidings-border)}
:host([layout=cards]) img{float:none;display:block;width:100%;aspect-ratio:16/9;margin:0 0 .5rem}
p{margin:0}
[part=status]{color:var(--tidings-muted)}
[part=error]+ul{margin-top:.5rem}
@media (prefers-reduced-motion:reduce){*,::before,::after{animation:none!important;transition:none!important}}`;
