// Building notebooks/zh and checking it (scripts/translations.ts), on small notebooks in a temp dir.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FigureString } from '../../lib/timing/figure-text';
import { buildTranslations, checkTranslations, type Layout, stringifyNotebook } from '../../scripts/translations';

const STRINGS: FigureString[] = [{ en: 'seconds', zh: '秒' }];
const lines = (text: string): string[] => text.split(/(?<=\n)/);
const markdown = (id: string, text: string) => ({ cell_type: 'markdown', id, metadata: {}, source: lines(text) });
const code = (id: string, text: string, outputs: unknown[] = [{ name: 'stdout', output_type: 'stream', text: ['hi\n'] }]) => ({
  cell_type: 'code',
  execution_count: 1,
  id,
  metadata: { tags: [] },
  outputs,
  source: lines(text),
});
const notebook = (cells: unknown[]) => ({ cells, metadata: { kernelspec: { name: 'tslab' } }, nbformat: 4, nbformat_minor: 5 });
const svg = (text: string) => ({ data: { 'image/svg+xml': [`<svg><text>${text}</text></svg>`] }, metadata: {}, output_type: 'display_data' });

let root: string;
let layout: Layout;
const write = (file: string, content: unknown): void => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), typeof content === 'string' ? content : stringifyNotebook(content));
};
const read = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const entry = (id: string, en: string, zh: string): string => `=== cell ${id} ===\n--- en ---\n${en}\n--- zh ---\n${zh}\n\n`;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'translations-'));
  layout = { notebooks: path.join(root, 'notebooks'), translations: path.join(root, 'translations'), strings: STRINGS };
  write('notebooks/01-one.ipynb', notebook([markdown('m1', '# One\n\nText.'), code('c1', "console.log('hi');"), markdown('m2', 'More.')]));
  write('translations/01-one.md', `# 01-one\n\n${entry('m1', '# One\n\nText.', '# 一\n\n正文。')}${entry('m2', 'More.', '更多。')}=== zh-only after m2 ===\n--- zh ---\n## 术语表\n`);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildTranslations and checkTranslations', () => {
  it('build the Chinese notebook: markdown translated, code cells and their outputs as in English, zh-only cells added; the check passes', () => {
    expect(buildTranslations(layout)).toEqual({ written: ['01-one'], problems: [] });
    const zh = read('notebooks/zh/01-one.ipynb');
    const english = read('notebooks/01-one.ipynb');
    expect(zh.cells.map((cell: { id: string }) => cell.id)).toEqual(['m1', 'c1', 'm2', 'zh-m2']);
    expect(zh.cells[0].source).toEqual(['# 一\n', '\n', '正文。']);
    expect(zh.cells[1]).toEqual(english.cells[1]);
    expect(zh.cells[3].source).toEqual(['## 术语表']);
    expect(checkTranslations(layout)).toEqual([]);
    expect(buildTranslations(layout).written).toEqual([]);
  });

  it('fail for a chapter without a translation file, or without its Chinese notebook', () => {
    expect(checkTranslations(layout)).toEqual(['01-one: notebooks/zh/01-one.ipynb is missing (run `npm run translations`)']);
    rmSync(path.join(root, 'translations', '01-one.md'));
    expect(checkTranslations(layout)[0]).toMatch(/^01-one: no translation \(.*01-one\.md is missing\)$/);
  });

  it('fail, naming chapter and cell, when an English markdown cell changed since it was translated', () => {
    buildTranslations(layout);
    write('notebooks/01-one.ipynb', notebook([markdown('m1', '# One\n\nNew text.'), code('c1', "console.log('hi');"), markdown('m2', 'More.')]));
    expect(checkTranslations(layout)).toEqual([
      '01-one: markdown cell m1 changed since it was translated (01-one.md:3), line 3: translated from "Text.", the English now says "New text."',
    ]);
  });

  it('fail when an English markdown cell has no entry (and build nothing for that chapter)', () => {
    write('notebooks/01-one.ipynb', notebook([markdown('m1', '# One\n\nText.'), markdown('m0', 'Added.'), code('c1', "console.log('hi');"), markdown('m2', 'More.')]));
    const { written, problems } = buildTranslations(layout);
    expect(written).toEqual([]);
    expect(problems).toEqual(['01-one: markdown cell m0 has no translation (add `=== cell m0 ===` to 01-one.md)']);
  });

  it('fail when an entry or a zh-only cell names a cell the English notebook no longer has', () => {
    write('notebooks/01-one.ipynb', notebook([markdown('m1', '# One\n\nText.'), code('c1', "console.log('hi');")]));
    expect(buildTranslations(layout).problems).toEqual([
      '01-one: the translation of cell m2 (01-one.md:13) names no markdown cell of the English notebook',
      '01-one: the zh-only cell at 01-one.md:19 follows cell m2, which the English notebook no longer has',
    ]);
  });

  it('fail when a Chinese notebook code cell differs from the English one, or its markdown from the build', () => {
    buildTranslations(layout);
    const zh = read('notebooks/zh/01-one.ipynb');
    zh.cells[1].source = ["console.log('changed');"];
    write('notebooks/zh/01-one.ipynb', zh);
    expect(checkTranslations(layout)).toEqual([
      '01-one: code cell c1 of notebooks/zh differs from the English one (id, order or source): run `npm run translations`',
    ]);
    buildTranslations(layout);
    const again = read('notebooks/zh/01-one.ipynb');
    again.cells[2].source = ['edited by hand'];
    write('notebooks/zh/01-one.ipynb', again);
    expect(checkTranslations(layout)).toEqual(['01-one: markdown cell m2 of notebooks/zh is not what the build makes: run `npm run translations`']);
  });

  it('fail when a Chinese notebook keeps outputs other than the English run', () => {
    buildTranslations(layout);
    const zh = read('notebooks/zh/01-one.ipynb');
    zh.cells[1].outputs = [];
    write('notebooks/zh/01-one.ipynb', zh);
    expect(checkTranslations(layout)).toEqual(['01-one: cell c1 of notebooks/zh (outputs or metadata) is not what the build makes: run `npm run translations`']);
  });

  describe('a chapter that draws a figure (it runs in zh)', () => {
    beforeEach(() => {
      write('notebooks/01-one.ipynb', notebook([markdown('m1', '# One\n\nText.'), code('c1', 'draw();', [svg('seconds')]), markdown('m2', 'More.')]));
    });

    it('gets no English outputs: the check asks for a run in notebooks/zh', () => {
      buildTranslations(layout);
      expect(read('notebooks/zh/01-one.ipynb').cells[1].outputs).toEqual([]);
      expect(checkTranslations(layout)).toEqual(['01-one: code cell c1 has no output from a run in notebooks/zh: run `npm run chapters -- zh/01 --store`']);
    });

    it('keeps the outputs of its own run while the code is unchanged, and the check passes', () => {
      buildTranslations(layout);
      const zh = read('notebooks/zh/01-one.ipynb');
      zh.cells[1].outputs = [svg('秒')];
      write('notebooks/zh/01-one.ipynb', zh);
      expect(buildTranslations(layout).written).toEqual([]);
      expect(read('notebooks/zh/01-one.ipynb').cells[1].outputs).toEqual([svg('秒')]);
      expect(checkTranslations(layout)).toEqual([]);
      // The English code changes: the stale output goes, and the check asks for a new run.
      write('notebooks/01-one.ipynb', notebook([markdown('m1', '# One\n\nText.'), code('c1', 'draw(2);', [svg('seconds')]), markdown('m2', 'More.')]));
      expect(checkTranslations(layout)[0]).toBe('01-one: code cell c1 of notebooks/zh differs from the English one (id, order or source): run `npm run translations`');
      buildTranslations(layout);
      expect(read('notebooks/zh/01-one.ipynb').cells[1].outputs).toEqual([]);
    });

    it('fails when the stored run still draws English figure text', () => {
      buildTranslations(layout);
      const zh = read('notebooks/zh/01-one.ipynb');
      zh.cells[1].outputs = [svg('seconds')];
      write('notebooks/zh/01-one.ipynb', zh);
      expect(checkTranslations(layout)).toEqual(['01-one: code cell c1 shows the English figure text "seconds": run `npm run chapters -- zh/01 --store`']);
    });
  });

  it('fail for a Chinese chapter or translation whose English chapter is gone', () => {
    buildTranslations(layout);
    write('translations/02-two.md', '# 02-two\n');
    expect(checkTranslations(layout)).toEqual(['02-two: a Chinese chapter or translation without an English notebook 02-two.ipynb']);
    expect(existsSync(path.join(root, 'notebooks', 'zh', '02-two.ipynb'))).toBe(false);
  });
});
