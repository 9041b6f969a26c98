import type { CheerioAPI } from 'cheerio';
import { LayoutError } from '../errors.js';
import type { FieldRules, SiteProfile } from '../profiles/types.js';
import type { RawArticle } from './raw.js';
import { describeRules, readField } from './rules.js';

/** Reads an article page with a profile's selectors. */
export function extractHtmlArticle($: CheerioAPI, profile: SiteProfile, url: string): RawArticle {
  const rules = profile.article;
  const required = (name: 'title' | 'publishedAt', fieldRules: FieldRules): string => {
    const value = readField($, fieldRules);
    if (value === undefined) {
      throw new LayoutError(
        name === 'title' ? 'no-title' : 'no-date',
        `Profile "${profile.id}" found no ${name === 'title' ? 'title' : 'publication time'} on the article page ` +
          `${url} (looked for ${describeRules(fieldRules)}).`,
        { profile: profile.id, rule: `article.${name}: ${describeRules(fieldRules)}`, url },
      );
    }
    return value;
  };
  const body = $(rules.body).first();
  if (body.length === 0) {
    throw new LayoutError(
      'no-body',
      `Profile "${profile.id}" found no article body on ${url}: nothing matches "${rules.body}".`,
      { profile: profile.id, rule: `article.body: ${rules.body}`, url },
    );
  }
  const raw: RawArticle = {
    title: required('title', rules.title),
    date: required('publishedAt', rules.publishedAt),
    bodyHtml: body.html() ?? '',
  };
  const author = rules.author && readField($, rules.author);
  if (author) raw.author = author;
  const section = rules.section ? readField($, rules.section) : readField($, profile.source.section);
  if (section) raw.section = section;
  const sourceName = profile.source.name && readField($, profile.source.name);
  if (sourceName) raw.sourceName = sourceName;
  const language = $('html').attr('lang')?.trim();
  if (language) raw.language = language;
  return raw;
}
