import type { IncomingMessage } from 'node:http';
import type { ProfileSpec } from '@tidings/parser';
import { describeIssues } from '../config/issues.js';
import { configFileSchema } from '../config/schema.js';
import type { SourceConfig } from '../config/types.js';
import type { SourceEntry } from '../config/write.js';
import type { RefreshOutcome } from '../refresh/refresh-source.js';
import type { LiveConfig } from '../runtime/live-config.js';
import type { LiveSources } from '../runtime/sources.js';
import type { Backend } from '../store/backend.js';
import { readJsonBody } from './body.js';
import { ApiError } from './errors.js';
import type { ApiAnswer } from './handler.js';
import type { PreviewAnswer } from './preview.js';

export interface SourcesApi {
  config: LiveConfig;
  sources: LiveSources;
  backend: Backend;
  preview(source: SourceConfig, written: ProfileSpec | string | undefined): Promise<PreviewAnswer>;
  /** For `${TIDINGS_…}` references and relative paths, as the config file has them. */
  env: NodeJS.ProcessEnv;
  baseDir: string;
}

const SOURCE_PATH = /^\/api\/sources\/([^/]+)(\/refresh)?$/;
const PREVIEW_KEYS = new Set(['url', 'profile', 'render', 'allowPrivateNetwork']);

/** The admin API's routes (docs/admin-api.md), for a request already authenticated. */
export function sourcesRoutes(api: SourcesApi): (request: IncomingMessage) => Promise<ApiAnswer> {
  return async (request) => {
    const path = new URL(request.url ?? '/', 'http://admin').pathname;
    const method = request.method ?? 'GET';
    if (path === '/api/preview') {
      allow(method, ['POST']);
      return { status: 200, body: await previewOf(api, await readJsonBody(request)) };
    }
    if (path === '/api/sources') {
      allow(method, ['GET', 'POST']);
      if (method === 'GET')
        return {
          status: 200,
          body: { sources: await Promise.all(api.config.entries().map((entry) => described(api, entry))) },
        };
      const entry = sourceEntry(await readJsonBody(request));
      await api.config.change({ kind: 'add', entry });
      return { status: 201, body: { source: api.config.entry(entry.id) } };
    }
    const match = SOURCE_PATH.exec(path);
    if (!match)
      throw new ApiError(404, 'not-found', `Nothing at ${path}; see docs/admin-api.md for the routes.`);
    const id = decodeURIComponent(match[1] as string);
    const entry = api.config.entry(id);
    if (!entry) throw new ApiError(404, 'unknown-source', `No source "${id}" is configured.`, { value: id });
    if (match[2]) {
      allow(method, ['POST']);
      return { status: 200, body: { outcome: outcomeOf(await api.sources.refresh(id)) } };
    }
    allow(method, ['GET', 'PUT', 'DELETE']);
    if (method === 'GET') return { status: 200, body: await described(api, entry) };
    if (method === 'DELETE') {
      await api.config.change({ kind: 'remove', id });
      return { status: 204 };
    }
    const replacement = sourceEntry(await readJsonBody(request));
    if (replacement.id !== id) {
      throw new ApiError(
        400,
        'bad-request',
        `The source's id must be "${id}", as in the URL; to rename, add the new one and delete this one.`,
        { path: 'id', value: replacement.id },
      );
    }
    await api.config.change({ kind: 'replace', entry: replacement });
    return { status: 200, body: { source: api.config.entry(id) } };
  };
}

/** A source as the API lists it: the config entry, its status as /healthz has it, its stored count. */
async function described(api: SourcesApi, entry: SourceEntry) {
  const status = await api.backend.getStatus(entry.id);
  return {
    source: entry,
    status: {
      lastRunAt: status.lastAttemptAt ?? null,
      lastSuccessAt: status.lastSuccessAt ?? null,
      lastError: status.lastError ?? null,
      lastErrorAt: status.lastErrorAt ?? null,
      consecutiveFailures: status.consecutiveFailures,
      nextRunAt: status.nextRunAt ?? null,
    },
    articles: status.articleCount,
  };
}

/** The body as a config entry: an object with an id (the schema checks the rest, with the file). */
function sourceEntry(body: unknown): SourceEntry {
  if (!isObject(body))
    throw new ApiError(
      400,
      'bad-request',
      "Send the source as a JSON object, as a config file's sources: entry.",
    );
  if (typeof body.id !== 'string' || body.id === '') {
    throw new ApiError(
      400,
      'bad-request',
      'The source needs an "id" (lowercase letters, digits and dashes).',
      { path: 'id', value: body.id ?? null },
    );
  }
  return body as SourceEntry;
}

/** A preview request checked as a source would be (same messages), then previewed. */
async function previewOf(api: SourcesApi, body: unknown): Promise<PreviewAnswer> {
  if (!isObject(body))
    throw new ApiError(400, 'bad-request', 'Send { "url": "https://…" } as a JSON object.');
  for (const key of Object.keys(body)) {
    if (!PREVIEW_KEYS.has(key)) {
      throw new ApiError(
        400,
        'bad-request',
        `Unknown key "${key}" (known: ${[...PREVIEW_KEYS].join(', ')}).`,
        { path: key, value: body[key] },
      );
    }
  }
  const parsed = configFileSchema(api.baseDir, api.env).safeParse(
    { sources: [{ ...body, id: 'preview' }] },
    { reportInput: true },
  );
  if (!parsed.success) {
    const [problem] = describeIssues(parsed.error.issues);
    const path = problem?.path.replace(/^sources\[0\]\.?/, '') ?? '';
    throw new ApiError(400, 'bad-request', [path, problem?.message].filter(Boolean).join(': '), {
      path,
      value: problem?.value,
    });
  }
  const source = parsed.data.sources[0] as SourceConfig;
  return api.preview(source, body.profile as ProfileSpec | string | undefined);
}

function outcomeOf(outcome: RefreshOutcome) {
  const { error, ...rest } = outcome;
  return { ...rest, ...(error && { error: error.message }) };
}

function allow(method: string, methods: readonly string[]): void {
  if (methods.includes(method)) return;
  throw new ApiError(
    405,
    'method-not-allowed',
    `${method} is not allowed here; use ${methods.join(' or ')}.`,
    {
      headers: { Allow: methods.join(', ') },
    },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
