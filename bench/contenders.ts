import { parseListing } from '@tidings/parser';
import { type CheerioAPI, load } from 'cheerio';
import { Parser, parseDocument } from 'htmlparser2';
import { generatedListing, page1 } from './generate.js';

export const PAGE_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/index.html';

export interface Case {
  name: string;
  items: number;
  bytes: () => Buffer;
  /** Rounds: in each, every contender runs in a fresh process, in turn. */
  rounds: number;
  /** Untimed runs per process (the first also measures peak memory), then timed runs. */
  warmup: number;
  runs: number;
}

export const cases: Case[] = [
  { name: 'page 1 (15 items)', items: 15, bytes: page1, rounds: 6, warmup: 100, runs: 100 },
  {
    name: 'generated (10,000 items)',
    items: 10_000,
    bytes: () => generatedListing(10_000),
    rounds: 4,
    warmup: 2,
    runs: 3,
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
  /** The same with the list found by detection (`profile: 'auto'`) instead of the site profile. */
  'tidings parseListing auto': (bytes) => parseListing(bytes, { url: PAGE_URL, profile: 'auto' }),
  /** For reference: the same fields read the usual cheerio way, `$(item).find(…)`, no normalizing. */
  'cheerio htmlparser2 + find': (bytes) =>
    cheerioExtract(load(new TextDecoder().decode(bytes), { xml: { xmlMode: false, decodeEntities: true } })),
  /** …and with cheerio's default parser, parse5. */
  'cheerio parse5 + find': (bytes) => cheerioExtract(load(new TextDecoder().decode(bytes))),
};

function cheerioExtract($: CheerioAPI) {
  return $('ul.common-list-right-list > li')
    .toArray()
    .map((li) => {
      const item = $(li);
      return {
        title: item.find('a[title]').attr('title'),
        link: /isDownLoad\(this,'([^']+)'/.exec(item.find('a[onclick]').attr('onclick') ?? '')?.[1],
        date: item.find('.list-date').text(),
        text: item.find('.hidDom .text').text(),
      };
    });
}

export const FLOOR = 'htmlparser2 tokenize';
