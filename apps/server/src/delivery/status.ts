import type { DestinationStatus } from '../store/outbox.js';
import { type Destination, describeTarget } from './destinations.js';

/** One destination as /healthz shows it: no secret, no password, no whole URL or address. */
export interface DeliveryHealth {
  id: string;
  feed: string;
  kind: 'webhook' | 'email';
  /** `https://hooks.example.org/…`, `mail to …@example.org (digest)`. */
  target: string;
  /** Waiting or being sent. */
  pending: number;
  /** Given up on (kept with the last error). */
  failed: number;
  delivered: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
}

/** The configured destinations, in config order, with what the store knows of each. */
export function deliveryHealth(
  destinations: ReadonlyMap<string, Destination>,
  stored: readonly DestinationStatus[],
): DeliveryHealth[] {
  const byId = new Map(stored.map((status) => [status.destination, status]));
  return [...destinations.values()].map(({ notify, feed }) => {
    const status = byId.get(notify.id);
    return {
      id: notify.id,
      feed: feed.id,
      kind: notify.kind,
      target: describeTarget(notify),
      pending: status?.pending ?? 0,
      failed: status?.failed ?? 0,
      delivered: status?.delivered ?? 0,
      lastSuccessAt: status?.lastSuccessAt ?? null,
      lastError: status?.lastError ?? null,
      lastErrorAt: status?.lastErrorAt ?? null,
      consecutiveFailures: status?.consecutiveFailures ?? 0,
    };
  });
}
