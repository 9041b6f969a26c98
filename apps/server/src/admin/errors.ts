import { FetchError } from '@tidings/fetch';
import { LayoutError, TidingsError } from '@tidings/parser';
import { RenderError } from '@tidings/render';
import { ConfigError } from '../errors.js';
import { HttpError } from '../http/query.js';

/** An admin API error: the status, a code from docs/admin-api.md, a sentence to act on, and where. */
export class ApiError extends HttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: { path?: string; value?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(status, code, message);
  }
}

/** Config statuses by ConfigError code; anything else about the file is the server's problem to report. */
const CONFIG_STATUS: Record<string, [number, string]> = {
  'invalid-config': [400, 'invalid-source'],
  'unknown-source': [404, 'unknown-source'],
  'source-exists': [409, 'source-exists'],
  'config-file': [409, 'config-file'],
};

/** What a thrown error answers: our own errors as they are, the fetcher's, parser's and config's by kind. */
export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof HttpError) return new ApiError(error.status, error.code, error.message);
  if (error instanceof ConfigError) {
    const [status, code] = CONFIG_STATUS[error.code] ?? [409, 'config-file'];
    const first = error.problems?.[0];
    const message = first ? [first.path, first.message].filter(Boolean).join(': ') : error.message;
    return new ApiError(status, code, message, {
      ...(error.path !== undefined && { path: error.path }),
      ...('value' in error && { value: error.value }),
    });
  }
  if (error instanceof FetchError) {
    return error.code === 'private-network'
      ? new ApiError(403, 'private-network', `${error.message} Send "allowPrivateNetwork": true to read it.`)
      : new ApiError(502, 'fetch-failed', error.message);
  }
  if (error instanceof RenderError) return new ApiError(502, 'fetch-failed', error.message);
  if (error instanceof LayoutError) return new ApiError(422, 'layout', error.message);
  if (error instanceof TidingsError) return new ApiError(422, 'unreadable', error.message);
  return undefined;
}
