import type { JsonListRules } from '../profiles/types.js';

/** A JSON document a page carries besides its markup. */
export interface EmbeddedJson {
  /** `__NEXT_DATA__`, a `window.…` variable's name (`__INITIAL_STATE__`), `application/json`, or `ld+json`. */
  name: string;
  value: unknown;
}

/** An array of articles detection found in JSON, and the rules that read it. */
export interface JsonListDetection {
  /** Ready for a profile's `list: { json: … }`; `embedded` names the page's JSON it was in. */
  rules: JsonListRules;
  /** Members of the array. */
  count: number;
}
