/**
 * The search index behind `q` (SQLite): every run of letters and digits in an article's folded
 * title and text becomes its overlapping two-character tokens plus its last character, for an
 * FTS5 table. A keyword becomes the phrase of its own tokens, so "招生" or "南开大学" — Chinese
 * words of two characters, which no tokenizer that splits on spaces and no trigram index can
 * find — is answered from the index; the literal match then runs only on the candidates it names.
 */

const RUN = /[\p{L}\p{N}]+/gu;

function tokensOf(run: string): string[] {
  const characters = Array.from(run);
  const tokens: string[] = [];
  for (let i = 0; i + 1 < characters.length; i++) tokens.push(`${characters[i]}${characters[i + 1]}`);
  // The last character alone, so that a one-character keyword finds the end of a run too.
  tokens.push(characters[characters.length - 1] as string);
  return tokens;
}

/** What the index holds for an article: its tokens, space-separated (title and text already folded). */
export function searchTokens(title: string, text: string): string {
  const tokens: string[] = [];
  for (const source of [title, text]) {
    for (const [run] of source.matchAll(RUN)) tokens.push(...tokensOf(run));
  }
  return tokens.join(' ');
}

/**
 * The FTS5 query that names every article which can hold `keyword` (folded): each run of letters
 * and digits as a phrase of its tokens (a one-character run as a prefix), all of them required.
 * Undefined when the keyword has no letter or digit: then only a scan can tell.
 */
export function searchMatch(keyword: string): string | undefined {
  const phrases: string[] = [];
  for (const [run] of keyword.matchAll(RUN)) {
    const characters = Array.from(run);
    phrases.push(characters.length === 1 ? `"${run}"*` : `"${tokensOf(run).slice(0, -1).join(' ')}"`);
  }
  return phrases.length > 0 ? phrases.join(' AND ') : undefined;
}
