import type { Article } from '@tidings/parser';
import { Parser } from 'htmlparser2';

/**
 * What a feed may be converted to: Traditional Chinese (OpenCC's standard forms), or with the
 * variant characters of Taiwan or Hong Kong. Characters only: no phrase rewriting (软件 stays 軟件),
 * which would change the wording of names and notices.
 */
export const FEED_LANGUAGES = ['zh-Hant', 'zh-TW', 'zh-HK'] as const;
export type FeedLanguage = (typeof FEED_LANGUAGES)[number];

export type Convert = (text: string) => string;

/** `zh-hant`, `ZH-TW`… → the canonical tag, or undefined when it is none of them. */
export function readFeedLanguage(input: string): FeedLanguage | undefined {
  const wanted = input.trim().toLowerCase();
  return FEED_LANGUAGES.find((lang) => lang.toLowerCase() === wanted);
}

type OpenCC = typeof import('opencc-js/cn2t').default;

/**
 * The simplified → traditional table (about 20 MB of heap, 0.1 s to build) is loaded on the first
 * conversion and shared by every target: a regional table (a few KB) is applied after it, which
 * gives exactly opencc-js's `Converter({ from: 'cn', to: 'tw' | 'hk' })`.
 */
let library: Promise<{ opencc: OpenCC; toTraditional: Convert }> | undefined;
const converters = new Map<FeedLanguage, Promise<Convert>>();

function loadLibrary() {
  library ??= import('opencc-js/cn2t').then(({ default: opencc }) => ({
    opencc,
    toTraditional: opencc.ConverterFactory(opencc.Locale.from.cn),
  }));
  return library;
}

/** The converter for `lang`, built once (the first call loads opencc-js). */
export function converterFor(lang: FeedLanguage): Promise<Convert> {
  let converter = converters.get(lang);
  if (!converter) {
    converter = loadLibrary().then(({ opencc, toTraditional }): Convert => {
      if (lang === 'zh-Hant') return toTraditional;
      const regional = opencc.ConverterFactory(lang === 'zh-TW' ? opencc.Locale.to.tw : opencc.Locale.to.hk);
      return (text) => regional(toTraditional(text));
    });
    converters.set(lang, converter);
  }
  return converter;
}

/**
 * The text nodes of `html` converted, everything else (tags, attributes, URLs, entities) byte for
 * byte as it was. The HTML is the parser's sanitized output, read here only to find the text.
 */
export function convertHtmlText(html: string, convert: Convert): string {
  let out = '';
  let copied = 0;
  const parser = new Parser(
    {
      ontext(text) {
        const start = parser.startIndex;
        out += html.slice(copied, start) + convert(text);
        copied = start + text.length;
      },
    },
    { decodeEntities: false },
  );
  parser.end(html);
  return out + html.slice(copied);
}

/** The article's words in the target script: title, summary, text, HTML text, author, section, image and attachment labels. */
export function convertArticle<T extends Article>(article: T, convert: Convert, lang: FeedLanguage): T {
  return {
    ...article,
    title: convert(article.title),
    summary: convert(article.summary),
    contentText: convert(article.contentText),
    contentHtml: convertHtmlText(article.contentHtml, convert),
    images: article.images.map((image) =>
      image.alt === undefined ? image : { ...image, alt: convert(image.alt) },
    ),
    attachments: article.attachments.map((attachment) => ({
      ...attachment,
      title: convert(attachment.title),
    })),
    ...(article.author !== undefined && { author: convert(article.author) }),
    ...(article.section !== undefined && { section: convert(article.section) }),
    language: lang,
  };
}
