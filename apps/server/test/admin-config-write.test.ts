import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledConfigPath } from '../src/config/load.js';
import { editSources, writeFileAtomic } from '../src/config/write.js';
import { ConfigError } from '../src/errors.js';

const bundled = readFileSync(bundledConfigPath(), 'utf8');

describe('editSources: one entry changed, the rest of the file as it was', () => {
  it('adds at the end of the list, before the keys that follow it', () => {
    const text =
      'sources:\n  - id: a # first\n    url: https://a.example/\n\n# the end\nhub: https://hub.example/\n';
    expect(
      editSources(text, { kind: 'add', entry: { id: 'b', url: 'https://b.example/', refresh: '10m' } }),
    ).toBe(
      'sources:\n  - id: a # first\n    url: https://a.example/\n  - id: b\n    url: https://b.example/\n    refresh: 10m\n\n# the end\nhub: https://hub.example/\n',
    );
  });

  it('rewrites only the keys that changed, keeping the comments of the others', () => {
    const edited = editSources(bundled, {
      kind: 'replace',
      entry: {
        id: 'demo',
        url: 'https://jy.tj.gov.cn/JYXW/TJJY/',
        snapshot: '../demo/jy.tj.gov.cn',
        pages: 2,
        refresh: '30m',
        fullText: true,
        allowPrivateNetwork: true,
        title: '天津教育 – 天津市教育委员会 (demo snapshot)',
      },
    });
    expect(edited).toBe(bundled.replace('    pages: 3\n    refresh: 30m', '    pages: 2\n    refresh: 30m'));
  });

  it('removes an entry with its own comment, and keeps the notes above the first one', () => {
    const edited = editSources(bundled, { kind: 'remove', id: 'demo' });
    // The entry is gone; the commented examples of derived feeds (`#   - id: demo-daxue`) stay.
    expect(edited).not.toMatch(/^ {2}- id: demo$/m);
    expect(edited).toContain('#   - id: demo-daxue');
    expect(edited).not.toContain('# The offline demo');
    expect(edited).toContain('#   render              `browser`');
    expect(edited).toContain('  # The same section, live.');
    expect(edited).toContain('  - id: tjjy');
  });

  it('says which source is unknown or already there', () => {
    expect(() => editSources(bundled, { kind: 'remove', id: 'nope' })).toThrow(ConfigError);
    expect(() => editSources(bundled, { kind: 'add', entry: { id: 'demo' } })).toThrow(/already configured/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and keeps its permissions, leaving nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-write-'));
    try {
      const file = join(dir, 'tidings.yaml');
      writeFileSync(file, 'old\n', { mode: 0o600 });
      writeFileAtomic(file, 'new\n');
      expect(readFileSync(file, 'utf8')).toBe('new\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(['tidings.yaml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
