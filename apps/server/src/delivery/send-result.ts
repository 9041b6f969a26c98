/** How one attempt at a push went. */
export type SendResult =
  | { ok: true }
  | {
      ok: false;
      /** For status and logs: what happened, never a secret or a whole URL. */
      error: string;
      /** False: trying again cannot help (410 Gone); the entry is kept as failed now. */
      retry: boolean;
      /** The receiver's Retry-After, when it sent one. */
      retryAfterMs?: number;
    };
