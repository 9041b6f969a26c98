import type { ServerResponse } from 'node:http';
import type { RateLimit } from '../config/types.js';
import { RateLimiter } from '../http/rate-limit.js';
import type { Handler } from '../http/router.js';
import type { Logger } from '../logger.js';
import { hasToken } from './auth.js';
import { ApiError, toApiError } from './errors.js';
import { type SourcesApi, sourcesRoutes } from './sources-api.js';

/** Calls one client may make, on top of the server's own limit: a console person clicks, a script loops. */
export const ADMIN_RATE_LIMIT: RateLimit = { perMinute: 120, burst: 30 };
/** Calls without the right token: a handful, then a wait, so a token cannot be guessed by trying. */
export const FAILED_AUTH_RATE_LIMIT: RateLimit = { perMinute: 5, burst: 10 };

export interface AdminOptions {
  /** The token now (a reload may change it); undefined: the API is off. */
  token: () => string | undefined;
  /** Why it is off, when it is, for the 404's message. */
  offReason: () => string;
  /** What the routes act on; without it (no config file) the API is off. */
  api?: SourcesApi;
  logger: Logger;
  /** Count clients by X-Forwarded-For, as the server's own rate limit does. */
  trustProxy?: boolean;
}

/** A route's answer: a status and a JSON body (none for 204). */
export interface ApiAnswer {
  status: number;
  body?: unknown;
}

/**
 * Every `/api/…` request: off (404 `admin-off`) without a token; otherwise rate-limited, then
 * `Authorization: Bearer <token>` checked in constant time (401 with `WWW-Authenticate`,
 * failures limited more strictly), then routed. Nothing it answers may be cached.
 */
export function createAdminHandler(options: AdminOptions): Handler {
  const trustProxy = options.trustProxy ?? false;
  const calls = new RateLimiter({ ...ADMIN_RATE_LIMIT, trustProxy });
  const failures = new RateLimiter({ ...FAILED_AUTH_RATE_LIMIT, trustProxy });
  const route = options.api && sourcesRoutes(options.api);

  return (request, response) => {
    const token = options.token();
    if (token === undefined || !route) {
      return sendApiError(response, new ApiError(404, 'admin-off', options.offReason()));
    }
    if (failures.refuses(request, response) || !calls.admit(request, response)) return;
    if (!hasToken(request, token)) {
      failures.take(request);
      return sendApiError(
        response,
        new ApiError(401, 'unauthorized', 'Send Authorization: Bearer <token> with the admin token.', {
          headers: { 'WWW-Authenticate': 'Bearer realm="tidings-admin"' },
        }),
      );
    }
    route(request).then(
      (answer) => sendJson(response, answer.status, answer.body),
      (error: unknown) => {
        const known = toApiError(error);
        if (!known) options.logger.error({ err: error, path: request.url }, 'admin request failed');
        sendApiError(response, known ?? new ApiError(500, 'internal', 'Something went wrong on our side.'));
        // A body we stopped reading (too large) must not be read as the next request.
        if (known?.code === 'body-too-large') request.socket.destroySoon?.();
      },
    );
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(text && { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}

function sendApiError(response: ServerResponse, error: ApiError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  for (const [name, value] of Object.entries(error.details.headers ?? {})) response.setHeader(name, value);
  const { path, value } = error.details;
  sendJson(response, error.status, {
    error: error.code,
    message: error.message,
    ...(path !== undefined && { path }),
    ...('value' in error.details && { value }),
  });
}
