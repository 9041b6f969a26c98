import iconv from 'iconv-lite';
import { DecodeError } from '../errors.js';
import { type CharsetDecision, chooseCharset } from './charset.js';

export interface DecodedText {
  text: string;
  charset: CharsetDecision;
}

/** Bytes → string in the page's charset. Refuses binary data instead of returning mojibake. */
export function decodeBytes(bytes: Uint8Array, contentType?: string): DecodedText {
  const charset = chooseCharset(bytes, contentType);
  if (!charset.charset.toLowerCase().startsWith('utf-16') && hasNulByte(bytes)) {
    throw new DecodeError(
      'binary',
      'The input contains NUL bytes: it is binary data (an image, archive or PDF?), not a web page.',
    );
  }
  const text = decodeWith(bytes, charset.charset);
  assertReadable(text, charset.charset);
  return { text, charset };
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  try {
    // TextDecoder strips a BOM matching its encoding; Node's full ICU covers every WHATWG encoding.
    return new TextDecoder(charset).decode(bytes);
  } catch {
    if (iconv.encodingExists(charset)) return iconv.decode(Buffer.from(bytes), charset);
    throw new DecodeError(
      'unknown-charset',
      `The page declares charset "${charset}", which no decoder here supports.`,
    );
  }
}

function hasNulByte(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 65536).includes(0);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const SUSPECT = /[\ufffd\u0000-\u0008\u000b\u000e-\u001f]/;

/** Rejects text whose first 64 KiB are mostly replacement or control characters. */
export function assertReadable(text: string, charset = 'the given string'): void {
  const sample = text.slice(0, 65536);
  if (!SUSPECT.test(sample)) return;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (
      code === 0xfffd ||
      code === 0 ||
      (code < 0x20 && code !== 9 && code !== 10 && code !== 12 && code !== 13)
    ) {
      bad++;
    }
  }
  if (bad > 16 && bad / Math.max(sample.length, 1) > 0.02) {
    throw new DecodeError(
      'undecodable',
      `The input does not read as text in ${charset} (${bad} of the first ${sample.length} characters are ` +
        'replacement or control characters). It is binary, or its declared charset is wrong.',
    );
  }
}
