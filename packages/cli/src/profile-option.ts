import { compileProfile, type SiteProfile } from '@tidings/parser';
import { parse as parseYaml } from 'yaml';
import { type Io, readInput, UsageError } from './io.js';

/**
 * `--profile`: a registered profile's id (`auto` among them), or a YAML/JSON file holding a
 * written profile — bare, or as the source entry `tidings detect` prints (`- id: … profile: …`).
 */
export async function profileOption(
  value: string | undefined,
  io: Io,
): Promise<string | SiteProfile | undefined> {
  if (value === undefined || !/\.(ya?ml|json)$/i.test(value)) return value;
  const text = new TextDecoder().decode(await readInput(value, io));
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${value} is not valid YAML: ${(error as Error).message}`, false);
  }
  const entry = Array.isArray(document) ? document[0] : document;
  const isSource = typeof entry === 'object' && entry !== null && 'profile' in entry && 'url' in entry;
  const spec = isSource ? (entry as { profile: unknown }).profile : entry;
  const id = isSource ? (entry as { id?: unknown }).id : undefined;
  return compileProfile(spec, typeof id === 'string' ? { id } : {});
}
