import chardet from 'chardet';
import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';
import { MIMEType } from 'whatwg-mimetype';

/** Where the charset we decode with came from, most trusted first. */
export type CharsetSource = 'bom' | 'content-type' | 'meta' | 'detected' | 'default';

export interface CharsetDecision {
  /** A WHATWG encoding name, e.g. `UTF-8`, `gb18030`. */
  charset: string;
  source: CharsetSource;
}

// Sites label GB18030 text as gb2312 or gbk; decoding with a narrower table turns valid
// characters into U+FFFD, so every GB label decodes as the superset.
const GB_LABELS = new Set(['gb2312', 'gbk', 'gb18030', 'x-gbk', 'gb_2312-80', 'csgb2312', 'chinese']);

/** Far enough to get past the long comment banners some CMS templates put before `<meta charset>`. */
const SNIFF_BYTES = 8192;

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  return MIMEType.parse(contentType)?.parameters.get('charset') ?? undefined;
}

/** Picks the charset as browsers do (BOM, then Content-Type, then `<meta>`), then by detection. */
export function chooseCharset(bytes: Uint8Array, contentType?: string): CharsetDecision {
  const transportLayerEncodingLabel = charsetFromContentType(contentType);
  const sniffer = new Sniffer({ maxBytes: SNIFF_BYTES, transportLayerEncodingLabel });
  // The sniffer streams; stop feeding it once it has an answer (the first declaration wins).
  // The first chunk always goes in: a BOM there outranks even the header.
  for (let offset = 0; offset < SNIFF_BYTES && offset < bytes.length; offset += 512) {
    if (offset > 0 && sniffer.resultType !== ResultType.DEFAULT) break;
    sniffer.write(bytes.subarray(offset, offset + 512));
  }
  const declared = sourceOf(sniffer.resultType);
  if (declared) return { charset: canonical(sniffer.encoding), source: declared };
  if (isValidUtf8(bytes)) return { charset: 'UTF-8', source: 'detected' };
  const guess = chardet.detect(bytes);
  if (guess) return { charset: canonical(guess), source: 'detected' };
  return { charset: 'UTF-8', source: 'default' };
}

function sourceOf(type: ResultType): CharsetSource | undefined {
  switch (type) {
    case ResultType.BOM:
    case ResultType.XML_PREFIX:
      return 'bom';
    case ResultType.PASSED:
      return 'content-type';
    case ResultType.META_TAG:
    case ResultType.XML_ENCODING:
      return 'meta';
    default:
      return undefined;
  }
}

function canonical(label: string): string {
  const lower = label.trim().toLowerCase();
  return GB_LABELS.has(lower) ? 'gb18030' : label;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
