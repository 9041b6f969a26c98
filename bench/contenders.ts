import { parseListing } from '@tidings/parser';
import { load } from 'cheerio';
import { Parser, parseDocument } from 'htmlparser2';
import { generatedListing, page1 } from './generate.js';

export const PAGE_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/index.html';

export interface Case {
  name: string;
  items: number;
  bytes: () => Buffer;
  /** Timed runs after warm-up; each contender runs once per round, in turn. */
  rounds: number;
  warmup: number;
}

export const cases: Case[] = [
  { name: 'page 1 (15 items)', items: 15, bytes: page1, rounds: 400, warmup: 50 },
  {
    name: 'generated (10,000 items)',
    items: 10_000,
    bytes: () => generatedListing(10_000),
    rounds: 11,
    warmup: 2,
  },
];

/** Each takes the raw bytes, as the parser does: decoding is part of every contender's work. */
export const contenders: Record<string, (bytes: Buffer) => unknown> = {
  /** The floor: htmlparser2's tokenizer over the decoded page, no callbacks, no tree. */
  'htmlparser2 tokenize': (bytes) => {
    const parser = new Parser({});
    parser.end(new TextDecoder().decode(bytes));
  },
  /** htmlparser2 building its DOM: what any extractor needs at least. */
  'htmlparser2 DOM': (bytes) => parseDocument(new TextDecoder().decode(bytes)),
  /** Tidings: sniff + decode + DOM + profile extraction + normalization of every article. */
  'tidings parseListing': (bytes) => parseListing(bytes, { url: PAGE_URL }),
  /** For reference: cheerio's default load (parse5), before any extraction. */
  'cheerio load (parse5)': (bytes) => load(new TextDecoder().decode(bytes)),
};

export const FLOOR = 'htmlparser2 tokenize';
