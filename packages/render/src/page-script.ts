/**
 * Run in the page once it has settled: drops what has done its work (executable scripts, and
 * `<noscript>`, which a browser running scripts never shows) and returns the document as HTML.
 * A string, so it needs no DOM types here.
 */
export const RENDERED_HTML = `(() => {
  const executable = /^(?:|text\\/javascript|application\\/javascript|module|text\\/ecmascript)$/i;
  for (const element of document.querySelectorAll('script, noscript')) {
    const type = (element.getAttribute('type') || '').trim();
    if (element.localName === 'noscript' || executable.test(type)) element.remove();
  }
  const doctype = document.doctype ? '<!DOCTYPE ' + document.doctype.name + '>\\n' : '';
  return doctype + document.documentElement.outerHTML;
})()`;
