import { describe, expect, it } from 'vitest';
import { chooseCharset } from '../src/decode/charset.js';
import { parseDate, summarize } from '../src/index.js';
import { cleanLine, cleanParagraphs } from '../src/normalize/text.js';

describe('parseDate places dates in the source zone', () => {
  const zone = 'Asia/Shanghai';
  it.each([
    ['2024-12-04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024/12/4', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024.12.04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024年12月4日', '2024-12-04T00:00:00+08:00', 'day'],
    ['发布时间：2024-12-04 09:00', '2024-12-04T09:00:00+08:00', 'minute'],
    ['[2024-12-04 23:59:59]', '2024-12-04T23:59:59+08:00', 'second'],
  ])('%s → %s', (text, iso, precision) => {
    expect(parseDate(text, zone)).toEqual({ iso, precision });
  });

  it('keeps the instant: midnight in Shanghai is 16:00 UTC the day before', () => {
    const parsed = parseDate('2024-12-04', zone);
    expect(new Date(parsed!.iso).toISOString()).toBe('2024-12-03T16:00:00.000Z');
  });

  it('uses the zone offset of that date (DST zones too)', () => {
    expect(parseDate('2024-07-01 12:00', 'Europe/Berlin')?.iso).toBe('2024-07-01T12:00:00+02:00');
    expect(parseDate('2024-12-01 12:00', 'Europe/Berlin')?.iso).toBe('2024-12-01T12:00:00+01:00');
  });

  it('rejects impossible dates and non-dates', () => {
    for (const text of ['2024-02-30', '2024-13-01', '2024-12-04 25:00', 'no date', '']) {
      expect(parseDate(text, zone)).toBeNull();
    }
  });
});

describe('summarize', () => {
  it('keeps short text whole', () => {
    expect(summarize('短文本。')).toBe('短文本。');
  });

  it('cuts at a sentence end and marks the cut', () => {
    const text = `${'一'.repeat(70)}。${'二'.repeat(70)}。`;
    expect(summarize(text)).toBe(`${'一'.repeat(70)}。…`);
  });

  it('cuts a long sentence at 119 characters plus …', () => {
    const summary = summarize('字'.repeat(300));
    expect([...summary]).toHaveLength(120);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('never splits a grapheme: emoji with modifiers and ZWJ sequences stay whole', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = `${'字'.repeat(117)}${family}${'字'.repeat(50)}`;
    const summary = summarize(text);
    expect([...summary].length).toBeLessThanOrEqual(120);
    expect(summary).toBe(`${'字'.repeat(117)}…`);
  });

  it('never separates a letter from its combining accent', () => {
    const summary = summarize('e\u0301'.repeat(100));
    expect(summary.normalize('NFC')).toBe(`${'é'.repeat(59)}…`);
  });

  it('joins paragraphs with a space', () => {
    expect(summarize('第一段。\n\n第二段。')).toBe('第一段。 第二段。');
  });
});

describe('text cleaning', () => {
  it('removes CMS indents and padding, keeps real spaces', () => {
    expect(cleanLine('\u3000\u3000第 39 协同组\u00a0\u00a0成果\u2002')).toBe('第 39 协同组成果');
    expect(cleanLine('with\u00a0\u00a0English\u3000words')).toBe('with English words');
  });

  it('drops control characters, zero-width marks and lone surrogates', () => {
    expect(cleanLine('a\u0000b\u0008c\u200bd\ufeffe\ud800f')).toBe('abcdef');
  });

  it('keeps paragraph breaks, drops empty paragraphs', () => {
    expect(cleanParagraphs('\u3000\u3000一段\r\n\u00a0\r\n\r\n二段\n')).toBe('一段\n\n二段');
  });
});

describe('chooseCharset', () => {
  const gb = new Uint8Array([0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xca, 0xc0, 0xbd, 0xe7]); // 你好，世界 in GBK
  it('decodes every GB label as GB18030', () => {
    for (const label of ['gb2312', 'GBK', 'gb18030', 'x-gbk']) {
      expect(chooseCharset(gb, `text/html; charset=${label}`)).toEqual({
        charset: 'gb18030',
        source: 'content-type',
      });
    }
  });

  it('takes a BOM over the header, the header over <meta>', () => {
    const meta = new TextEncoder().encode('<meta charset="gbk"><p>x</p>');
    expect(chooseCharset(meta).source).toBe('meta');
    expect(chooseCharset(meta, 'text/html; charset=utf-8')).toEqual({
      charset: 'UTF-8',
      source: 'content-type',
    });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...meta]);
    expect(chooseCharset(bom, 'text/html; charset=gbk')).toEqual({ charset: 'UTF-8', source: 'bom' });
  });

  it('detects when nothing is declared', () => {
    expect(chooseCharset(new TextEncoder().encode('<p>你好</p>'))).toEqual({
      charset: 'UTF-8',
      source: 'detected',
    });
    const page = new Uint8Array([
      ...new TextEncoder().encode('<p>'),
      ...Array(20)
        .fill([...gb])
        .flat(),
    ]);
    expect(chooseCharset(page)).toEqual({ charset: 'gb18030', source: 'detected' });
  });
});
