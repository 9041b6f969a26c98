import type { DeliverySettings } from '../config/types.js';

/** A `Retry-After` longer than this is read as this: a receiver cannot park a push for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * How long to wait after failed attempt `attempt` (1 = the first): `backoffMs` doubled per
 * attempt up to `maxBackoffMs`, half of it fixed and half random (so destinations that failed
 * together spread out), and never less than the receiver's `Retry-After`.
 */
export function retryDelayMs(
  attempt: number,
  settings: Pick<DeliverySettings, 'backoffMs' | 'maxBackoffMs'>,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
