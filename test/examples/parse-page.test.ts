import { describe, expect, it } from 'vitest';
import { startExample } from './run.js';

describe('examples/parse-page', () => {
  it('prints the listing page 1 summary and the article page, by its README command', async () => {
    const { code, stdout, stderr } = await startExample('parse-page').done();
    expect(code, stderr).toBe(0);

    const lines = stdout.split('\n');
    expect(lines[0]).toBe('天津教育 – 天津市教育委员会');
    expect(lines[1]).toBe('page 1 of 3, 15 articles:');
    const articles = lines.flatMap((line) => {
      const match = /^ {2}(\d{4}-\d{2}-\d{2}) {2}(.+)$/.exec(line);
      return match ? [{ date: match[1], title: match[2] }] : [];
    });
    expect(articles).toHaveLength(15);
    expect(articles[0]).toEqual({ date: '2024-12-04', title: '我市基础教育扩优提质高质量发展' });
    expect(articles[14]).toEqual({ date: '2024-12-02', title: '京津冀学校“三全育人”工作交流会在我市举行' });

    expect(stdout).toContain('\n天津医学高等专科学校“三教”改革培育实用型医学人才\n');
    expect(stdout).toContain('  time:   2024-12-04 12:39 (2024-12-04T12:39:00+08:00)\n');
    expect(stdout).toContain('  origin: 天津日报\n');
    expect(lines.at(-2)).toMatch(/^ {2}2018年全国教育大会以来,.*“天津经验”。$/);
  }, 60_000);
});
