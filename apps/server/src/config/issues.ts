import type { z } from 'zod';
import { knownKeysAt } from './schema.js';
import { show } from './show.js';
import { closest } from './suggest.js';

/** One thing wrong in the config file, ready for a message line. */
export interface ConfigProblem {
  /** `sources[1].refresh`; empty for the top level. */
  path: string;
  value: unknown;
  /** Names the value and, where it helps, what to write instead. */
  message: string;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list (lines starting with "- ")',
};

/** Zod's issues (parsed with `reportInput: true`) as problems a person can act on, one per offending key. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = formatPath(issue.path);
    const value = issue.input;
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => {
          const hint = closest(key, knownKeysAt(issue.path));
          return {
            path: formatPath([...issue.path, key]),
            value: (value as Record<string, unknown> | undefined)?.[key],
            message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ` (known here: ${knownKeysAt(issue.path).join(', ')})`}`,
          };
        });
      case 'invalid_type':
        return [
          {
            path,
            value,
            message:
              value === undefined
                ? 'missing (required)'
                : `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${show(value)}`,
          },
        ];
      case 'too_small':
        return [{ path, value, message: tooSmall(issue, value) }];
      case 'too_big':
        return [{ path, value, message: `${show(value)} is too large (maximum ${issue.maximum})` }];
      case 'custom':
        return [{ path, value, message: issue.message }];
      default:
        return [{ path, value, message: `${show(value)}: ${issue.message}` }];
    }
  });
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, value: unknown): string {
  if (issue.origin === 'array')
    return `needs at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
  if (issue.origin === 'string') return 'must not be empty';
  return `${show(value)} is too small (minimum ${issue.minimum})`;
}

/** `sources[1].refresh` from `['sources', 1, 'refresh']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
}
