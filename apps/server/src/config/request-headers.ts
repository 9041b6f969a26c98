import { isFetcherOwnedHeader } from '@tidings/fetch';
import { z } from 'zod';

/** `${TIDINGS_…}` in a value: read from the environment when the config is loaded. */
const REFERENCE = /\$\{([^}]*)\}/g;
const ALLOWED_NAME = /^TIDINGS_[A-Z0-9_]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LINE_BREAK = /[\r\n\0]/;

type Issue = (message: string, key: string) => void;

/**
 * A source's `headers:`: name → value, each value with its `${TIDINGS_…}` references filled in.
 * Messages name the key and the variable, never a value: values are secrets (tokens, cookies).
 */
export function headersSchema(env: NodeJS.ProcessEnv) {
  return valuesSchema(env, (name, value, issue) => {
    if (!HEADER_NAME.test(name)) return issue(`"${name}" is not a valid header name`, name);
    if (name.toLowerCase() === 'cookie') return issue('put cookies under `cookies:` (name: value)', name);
    if (isFetcherOwnedHeader(name)) {
      return issue(
        `"${name}" is set by Tidings itself (it identifies itself to sites and to robots.txt)`,
        name,
      );
    }
    if (LINE_BREAK.test(value)) issue('the value must be one line (no line breaks)', name);
  });
}

/** A source's `cookies:`: name → value, sent as one `Cookie` header; `${TIDINGS_…}` filled in. */
export function cookiesSchema(env: NodeJS.ProcessEnv) {
  return valuesSchema(env, (name, value, issue) => {
    if (!COOKIE_NAME.test(name)) return issue(`"${name}" is not a valid cookie name`, name);
    if (/[;\s",\\\0]/.test(value)) {
      issue('the value must not hold ";", commas, quotes, backslashes or whitespace', name);
    }
  });
}

/** `name=value; name2=value2`, as a Cookie header carries them. */
export function cookieHeader(cookies: Readonly<Record<string, string>>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

function valuesSchema(env: NodeJS.ProcessEnv, check: (name: string, value: string, issue: Issue) => void) {
  return z.record(z.string(), z.string()).transform((raw, context) => {
    const values: Record<string, string> = {};
    for (const [name, written] of Object.entries(raw)) {
      const issue: Issue = (message, key) =>
        context.addIssue({ code: 'custom', path: [key], input: undefined, message });
      const value = expandReferences(written, env, (message) => issue(message, name));
      if (value === undefined) continue;
      check(name, value, issue);
      values[name] = value;
    }
    return values;
  });
}

/**
 * `written` with each `${TIDINGS_…}` replaced by its value; undefined (and an issue) when one
 * cannot be. Also for other secrets of the config (a notify entry's secret, its SMTP password).
 */
export function expandReferences(
  written: string,
  env: NodeJS.ProcessEnv,
  issue: (message: string) => void,
): string | undefined {
  let failed = false;
  const value = written.replace(REFERENCE, (reference, name: string) => {
    if (!ALLOWED_NAME.test(name)) {
      issue(`${reference}: only environment variables whose names start with TIDINGS_ can be used`);
      failed = true;
      return '';
    }
    const found = env[name];
    if (found === undefined) {
      issue(`${reference} is not set in the environment`);
      failed = true;
      return '';
    }
    return found;
  });
  return failed ? undefined : value;
}
