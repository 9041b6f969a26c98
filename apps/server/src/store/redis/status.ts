import type { SourceStatus } from '../types.js';
import type { StatusPatch } from '../validate.js';

/** The status fields kept in the `status` hash, under their own names. */
export const STATUS_FIELDS = Object.keys({
  lastAttemptAt: true,
  lastSuccessAt: true,
  lastError: true,
  lastErrorAt: true,
  consecutiveFailures: true,
  nextRunAt: true,
  etag: true,
  lastModified: true,
} satisfies Record<keyof StatusPatch, true>) as (keyof StatusPatch)[];

/** What a patch does to the hash: fields to set, fields to clear. Absent keys are left alone. */
export interface StatusChanges {
  set: Record<string, string>;
  clear: string[];
}

/**
 * A key present with `undefined` (or null) clears the field; for `consecutiveFailures` that
 * reads back as 0.
 */
export function statusChanges(patch: StatusPatch): StatusChanges {
  const changes: StatusChanges = { set: {}, clear: [] };
  for (const field of STATUS_FIELDS) {
    if (!Object.hasOwn(patch, field)) continue;
    const value = patch[field];
    if (value === undefined || value === null) changes.clear.push(field);
    else changes.set[field] = String(value);
  }
  return changes;
}

export function statusFromHash(
  sourceId: string,
  hash: Record<string, string>,
  articleCount: number,
): SourceStatus {
  const status: Record<string, unknown> = { sourceId, consecutiveFailures: 0 };
  for (const field of STATUS_FIELDS) {
    const value = hash[field];
    if (value === undefined) continue;
    status[field] = field === 'consecutiveFailures' ? Number(value) : value;
  }
  status.articleCount = articleCount;
  return status as unknown as SourceStatus;
}
