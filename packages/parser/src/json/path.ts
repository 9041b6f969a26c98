/** What a dotted path finds in a JSON value. */
export type Lookup =
  | { found: true; value: unknown }
  | {
      found: false;
      /** The part of the path that did resolve, `''` for none. */
      resolved: string;
      /** The key that is not there. */
      missing: string;
      /** The keys the value at `resolved` has. */
      keys: readonly string[];
    };

/**
 * Follows a dotted path: `data.list`; a number picks an array member (`items.0`), a key on an
 * array the first member that has it (`ItemList.itemListElement`); `''` is the value itself.
 */
export function lookup(value: unknown, path: string): Lookup {
  let current = value;
  const done: string[] = [];
  for (const key of path === '' ? [] : path.split('.')) {
    const next = step(current, key);
    if (next === undefined) {
      return { found: false, resolved: done.join('.'), missing: key, keys: keysOf(current) };
    }
    current = next;
    done.push(key);
  }
  return { found: true, value: current };
}

function step(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    if (/^\d+$/.test(key)) return value[Number(key)];
    const member = value.find((entry) => isRecord(entry) && Object.hasOwn(entry, key));
    return member === undefined ? undefined : (member as Record<string, unknown>)[key];
  }
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** The keys of an object, or those its array's first members have. */
export function keysOf(value: unknown): string[] {
  if (isRecord(value)) return Object.keys(value);
  if (!Array.isArray(value)) return [];
  const keys = new Set<string>();
  for (const member of value.slice(0, 5))
    if (isRecord(member)) for (const key of Object.keys(member)) keys.add(key);
  return [...keys];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `an object`, `a list of 3`, `text`, for messages about what a path found. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isRecord(value)) return 'an object';
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}
