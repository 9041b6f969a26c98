import { compile } from 'css-select';
import { z } from 'zod';
import { ProfileError } from '../errors.js';
import { autoProfile } from './auto.js';
import { profiles } from './registry.js';
import type {
  ApiRules,
  FieldRule,
  FieldRules,
  JsonListRules,
  ListRules,
  PaginationRules,
  SiteProfile,
} from './types.js';

/**
 * A profile as written in a config file (YAML or JSON): selectors as strings, patterns as regular
 * expression sources. Anything left out comes from the profile it `extends` (default `auto`:
 * the list found by detection, generic source, pagination and article rules).
 *
 * ```yaml
 * list:
 *   item: table.news tr
 *   title: td a
 *   link: { selector: td a, attribute: href }
 *   date: { selector: td.date }
 * ```
 */
export type ProfileSpec = z.input<ReturnType<typeof profileSpecSchema>>;

/** One rule as written: a selector (read the text), or the full form. */
export type FieldRuleSpec =
  | string
  | { selector?: string; attribute?: string; pattern?: string; format?: string };

/** The config form's schema, to embed in a larger config (the server's) so errors carry their path. */
export function profileSpecSchema() {
  const htmlList = z.strictObject({
    item: selector(),
    title: fieldRules(),
    link: fieldRules(),
    date: fieldRules(),
    content: selector().optional(),
  } satisfies Record<(typeof HTML_LIST_KEYS)[number], z.ZodType>);
  const jsonList = z.strictObject({
    json: z.strictObject({
      items: jsonPath(),
      title: jsonField(),
      link: jsonField(),
      date: jsonField(),
      content: jsonField().optional(),
      embedded: z.string().min(1).optional(),
    } satisfies Record<(typeof JSON_LIST_KEYS)[number], z.ZodType>),
  });
  const list = byShape<z.output<typeof htmlList> | z.output<typeof jsonList>>(
    (input) => (isRecord(input) ? ('json' in input ? jsonList : htmlList) : undefined),
    'expected the list rules: { item, title, link, date }, or { json: { items, title, link, date } }',
  );
  const api = z.strictObject({
    url: z
      .string()
      .refine((url) => url.includes('{n}'), {
        error: 'must contain {n}, the page number, e.g. https://example.org/api/news?page={n}',
      })
      .refine((url) => /^(?:https?:\/\/|\/)/.test(url), {
        error: 'must be an absolute http(s) URL, or a path from the site root (/api/news?page={n})',
      }),
    firstIndex: z.int().min(0).optional(),
    step: z.int().min(1).optional(),
    totalPages: jsonPath().optional(),
  } satisfies Record<(typeof API_KEYS)[number], z.ZodType>);
  const pagination = z.strictObject({
    total: fieldRules().optional(),
    current: fieldRules().optional(),
    currentIsZeroBased: z.boolean().optional(),
    firstPage: z.string().min(1).optional(),
    pageUrl: z
      .string()
      .refine((name) => name.includes('{n}'), { error: 'must contain {n}, e.g. index_{n}.html' })
      .optional(),
    firstIndex: z.int().min(0).optional(),
    next: fieldRules().optional(),
  });
  const article = z.strictObject({
    title: fieldRules().optional(),
    publishedAt: fieldRules().optional(),
    author: fieldRules().optional(),
    section: fieldRules().optional(),
    body: z.union([selector(), z.array(selector()).min(1)]).optional(),
    detectBody: z.boolean().optional(),
    detectDate: z.boolean().optional(),
  });
  return z
    .strictObject({
      extends: z
        .string()
        .superRefine((input, context) => {
          const known = profiles.list().map((profile) => profile.id);
          if (!known.includes(input)) {
            context.addIssue({
              code: 'custom',
              input,
              message: `"${input}" is not a known profile (known: ${known.join(', ')})`,
            });
          }
        })
        .optional(),
      id: z.string().min(1).optional(),
      name: z.string().optional(),
      description: z.string().optional(),
      hosts: z.array(z.string().min(1)).optional(),
      timeZone: timeZone().optional(),
      language: z.string().min(2).optional(),
      siteName: fieldRules().optional(),
      section: fieldRules().optional(),
      list: list.optional(),
      api: api.optional(),
      linkPattern: pattern().optional(),
      pagination: pagination.optional(),
      article: article.optional(),
    })
    .superRefine(apiNeedsJsonList);
}

/** An endpoint is read with JSON rules: written here, or in the profile it extends. */
function apiNeedsJsonList(
  spec: { api?: unknown; list?: object | undefined; extends?: string | undefined },
  context: z.RefinementCtx,
): void {
  if (spec.api === undefined || (spec.list !== undefined && 'json' in spec.list)) return;
  if (spec.list === undefined && spec.extends !== undefined && profiles.get(spec.extends).json) return;
  context.addIssue({
    code: 'custom',
    path: ['api'],
    input: spec.api,
    message: 'an endpoint is read with JSON rules: add list: { json: { items, title, link, date } }',
  });
}

const HTML_LIST_KEYS = ['item', 'title', 'link', 'date', 'content'] as const;
const JSON_LIST_KEYS = ['items', 'title', 'link', 'date', 'content', 'embedded'] as const;
const API_KEYS = ['url', 'firstIndex', 'step', 'totalPages'] as const;

/** The keys a written profile allows where `path` points (`[]`, `['list']`…), for "did you mean" hints. */
export function profileSpecKeys(path: readonly PropertyKey[]): readonly string[] {
  const { shape } = profileSpecSchema();
  if (path.length === 0) return Object.keys(shape);
  const [key, inner] = path;
  if (key === 'list' && path.length === 1) return [...HTML_LIST_KEYS, 'json'];
  if (key === 'list' && inner === 'json' && path.length === 2) return JSON_LIST_KEYS;
  if (key === 'api' && path.length === 1) return API_KEYS;
  if (path.length !== 1 || (key !== 'pagination' && key !== 'article')) return [];
  return Object.keys(shape[key].unwrap().shape);
}

/**
 * A written profile → a SiteProfile the parser runs. Checks every selector, pattern and zone.
 *
 * @throws {ProfileError} `bad-profile`, naming each wrong key and why
 */
export function compileProfile(spec: unknown, options: { id?: string } = {}): SiteProfile {
  const parsed = profileSpecSchema().safeParse(spec);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(profile)'}: ${issue.message}`,
    );
    throw new ProfileError('bad-profile', `The profile is not valid:\n  ${problems.join('\n  ')}`);
  }
  return profileFromSpec(parsed.data, options);
}

/** What `profileSpecSchema()` gives back: patterns compiled, shorthands expanded. */
export type CheckedProfileSpec = z.output<ReturnType<typeof profileSpecSchema>>;

/** A checked spec (from `profileSpecSchema()` inside a larger schema) → the SiteProfile. */
export function profileFromSpec(spec: CheckedProfileSpec, options: { id?: string } = {}): SiteProfile {
  const id = options.id;
  const base = spec.extends === undefined ? autoProfile : profiles.get(spec.extends);
  // A written list replaces the base's, HTML or JSON; an endpoint goes with a JSON list.
  const json: JsonListRules | undefined =
    spec.list && 'json' in spec.list ? definedOnly(spec.list.json) : spec.list ? undefined : base.json;
  const list: ListRules | undefined = spec.list
    ? 'json' in spec.list
      ? undefined
      : definedOnly(spec.list)
    : base.list;
  const api: ApiRules | undefined = spec.api ? definedOnly(spec.api) : json ? base.api : undefined;
  const pagination: PaginationRules | undefined = spec.pagination
    ? definedOnly(spec.pagination)
    : base.pagination;
  const profile: SiteProfile = {
    id: spec.id ?? id ?? `${base.id}-custom`,
    name: spec.name ?? base.name,
    ...(spec.description !== undefined && { description: spec.description }),
    match: spec.hosts ? { hosts: spec.hosts } : base.match,
    timeZone: spec.timeZone ?? base.timeZone,
    language: spec.language ?? base.language,
    examples: base.examples,
    source: {
      ...(spec.siteName ? { name: spec.siteName } : base.source.name ? { name: base.source.name } : {}),
      section: spec.section ?? base.source.section,
    },
    ...(list && { list }),
    ...(json && { json }),
    ...(api && { api }),
    ...(base.listSource && !json && { listSource: base.listSource }),
    ...(spec.linkPattern
      ? { detect: { linkPattern: spec.linkPattern } }
      : base.detect && { detect: base.detect }),
    ...(pagination && { pagination }),
    article: {
      ...base.article,
      // Rules written for the page know where its date is: the labelled date near the title must not outrank them.
      ...(spec.article?.publishedAt !== undefined && { detectDate: false }),
      ...definedOnly(spec.article ?? {}),
    },
    ...(base.text && { text: base.text }),
  };
  return profile;
}

/**
 * A profile → its written form, for printing (`tidings detect`) or storing. Only what differs
 * from `auto` is written, so the result stays short and picks up improvements to the generic rules.
 */
export function profileToSpec(profile: SiteProfile): ProfileSpec {
  const spec: Record<string, unknown> = {};
  // Code no spec can hold (Hanweb's datastore) comes with the family that has it.
  const family =
    profile.listSource && profiles.list().find((other) => other.listSource === profile.listSource);
  if (family) spec.extends = family.id;
  if (profile.name && profile.name !== autoProfile.name) spec.name = profile.name;
  if (profile.timeZone !== autoProfile.timeZone) spec.timeZone = profile.timeZone;
  if (profile.language !== autoProfile.language) spec.language = profile.language;
  if (profile.list) {
    const { item, title, link, date, content } = profile.list;
    spec.list = {
      item,
      title: rulesToSpec(title),
      link: rulesToSpec(link),
      date: rulesToSpec(date),
      ...(content !== undefined && { content }),
    };
  }
  if (profile.json) spec.list = { json: { ...profile.json } };
  if (profile.api) spec.api = { ...profile.api };
  if (profile.detect?.linkPattern) spec.linkPattern = profile.detect.linkPattern.source;
  return spec as ProfileSpec;
}

function rulesToSpec(rules: FieldRules): FieldRuleSpec | FieldRuleSpec[] {
  const written = (Array.isArray(rules) ? rules : [rules as FieldRule]).map(ruleToSpec);
  return written.length === 1 ? (written[0] as FieldRuleSpec) : written;
}

function ruleToSpec(rule: FieldRule): FieldRuleSpec {
  if (rule.selector !== undefined && !rule.attribute && !rule.pattern && !rule.format) return rule.selector;
  return {
    ...(rule.selector !== undefined && { selector: rule.selector }),
    ...(rule.attribute && { attribute: rule.attribute }),
    ...(rule.pattern && { pattern: rule.pattern.source }),
    ...(rule.format && { format: rule.format }),
  };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function selector() {
  return z.string().superRefine((input, context) => {
    try {
      compile(input);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        input,
        message: `"${input}" is not a valid CSS selector (${(error as Error).message})`,
      });
    }
  });
}

function pattern() {
  return z.string().transform((input, context) => {
    try {
      return new RegExp(input);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        input,
        message: `not a valid regular expression: ${(error as Error).message}`,
      });
      return z.NEVER;
    }
  });
}

const RULE_SHAPE = 'expected a CSS selector, or { selector, attribute, pattern, format }';

function fieldRule() {
  const text = selector().transform((selector): FieldRule => ({ selector }));
  const full = z
    .strictObject({
      selector: selector().optional(),
      attribute: z.string().min(1).optional(),
      pattern: pattern().optional(),
      format: z.string().min(1).optional(),
    })
    .transform((rule): FieldRule => definedOnly(rule));
  return byShape(
    (input) => (typeof input === 'string' ? text : isRecord(input) ? full : undefined),
    RULE_SHAPE,
  );
}

function fieldRules() {
  const one = fieldRule();
  const many = z.array(one).min(1);
  return byShape<FieldRules>((input) => (Array.isArray(input) ? many : one), RULE_SHAPE);
}

/**
 * A schema chosen by the input's shape rather than a union, so errors name the key inside the
 * value instead of zod's "Invalid input" for the union as a whole. Its issues pass on as they
 * are, with the values they are about.
 */
function byShape<T>(choose: (input: unknown) => z.ZodType<T> | undefined, expected: string) {
  return z.unknown().transform((input, context): T => {
    const schema = choose(input);
    if (!schema) {
      context.addIssue({ code: 'custom', input, message: expected });
      return z.NEVER;
    }
    const result = schema.safeParse(input, { reportInput: true });
    if (result.success) return result.data;
    for (const issue of result.error.issues) context.addIssue({ ...issue });
    return z.NEVER;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A dotted path into JSON: `data.list`, `items.0.url`; `''` the value itself. */
function jsonPath() {
  return z.string().superRefine((input, context) => {
    if (input === '' || input.split('.').every((key) => key !== '')) return;
    context.addIssue({ code: 'custom', input, message: `"${input}" is not a dotted path (like data.list)` });
  });
}

/** A field of a JSON item: a path (`url`), or a template of paths (`/news/{id}.html`). */
function jsonField() {
  return z
    .string()
    .min(1)
    .superRefine((input, context) => {
      const template = /^(?:[^{}]|\{[^{}]+\})*$/.test(input);
      const paths = input.includes('{')
        ? [...input.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1])
        : [input];
      if (template && paths.every((path) => path?.split('.').every((key) => key !== ''))) return;
      context.addIssue({
        code: 'custom',
        input,
        message: `"${input}" is neither a dotted path (like url) nor a template of them (like /news/{id}.html)`,
      });
    });
}

function timeZone() {
  return z.string().superRefine((input, context) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: input });
    } catch {
      context.addIssue({
        code: 'custom',
        input,
        message: `"${input}" is not an IANA time zone (like Asia/Shanghai)`,
      });
    }
  });
}
