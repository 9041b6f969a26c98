import type { Document } from 'domhandler';
import { textContent } from 'domutils';
import { selectIn } from '../extract/rules.js';

/**
 * What a column page tells its pager script (`$('#…').jpage({ … })`, or variables it reads): how
 * many records there are, how many a page shows and fetches at once, where the proxy is and
 * what form it is POSTed.
 */
export interface JpageSettings {
  totalRecord?: number;
  perPage?: number;
  /** Pages fetched per request (the datastore holds `perPage × groupSize` records). */
  groupSize?: number;
  proxyUrl?: string;
  /** `ajaxParam: { col: 1, webid: 1, … }`: the form, in order. */
  form?: URLSearchParams;
}

const NUMBER_SETTINGS = {
  totalRecord: /\btotalRecord\s*[:=]\s*['"]?(\d+)/i,
  perPage: /\bperPage\s*[:=]\s*['"]?(\d+)/i,
  groupSize: /\bgroupSize\s*[:=]\s*['"]?(\d+)/i,
} as const;
const PROXY_URL = /\bproxyUrl\s*[:=]\s*['"]([^'"]+)['"]/i;
const AJAX_PARAM = /\bajaxParam\s*[:=]\s*\{([^}]*)\}/i;
// `key: 'value'`, `"key": "value"`, `key: 123` inside the ajaxParam object.
const OBJECT_ENTRY = /['"]?([\w$]+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))/g;

/** The first inline script that configures the pager, read for the settings it names. */
export function readJpageSettings(page: Document): JpageSettings {
  const settings: JpageSettings = {};
  for (const script of selectIn(page, 'script:not([src])')) {
    const code = textContent(script);
    if (!/totalRecord|proxyUrl|ajaxParam|jpage/i.test(code)) continue;
    for (const [name, pattern] of Object.entries(NUMBER_SETTINGS)) {
      const value = pattern.exec(code)?.[1];
      const key = name as keyof typeof NUMBER_SETTINGS;
      if (value !== undefined && settings[key] === undefined) settings[key] = Number(value);
    }
    settings.proxyUrl ??= PROXY_URL.exec(code)?.[1];
    const params = AJAX_PARAM.exec(code)?.[1];
    if (params !== undefined && !settings.form) settings.form = readObjectEntries(params);
  }
  if (settings.proxyUrl === undefined) delete settings.proxyUrl;
  return settings;
}

function readObjectEntries(source: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const [, key, single, double, bare] of source.matchAll(OBJECT_ENTRY)) {
    form.append(key as string, single ?? double ?? bare ?? '');
  }
  return form;
}
