// `npm run chapters -- zh/NN` (scripts/notebooks.ts chapterFiles): the Chinese chapters by number.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTEBOOKS } from '../../scripts/jupyter-env';
import { chapterFiles } from '../../scripts/notebooks';

describe('chapterFiles', () => {
  it('selects English chapters by number, Chinese ones as zh/NN, and all Chinese ones as zh', () => {
    expect(chapterFiles(['0'])).toEqual([path.join(NOTEBOOKS, '00-index.ipynb')]);
    expect(chapterFiles(['zh/00'])).toEqual([path.join(NOTEBOOKS, 'zh', '00-index.ipynb')]);
    expect(chapterFiles(['zh'])).toContain(path.join(NOTEBOOKS, 'zh', '00-index.ipynb'));
    expect(chapterFiles(['zh']).every((file) => path.dirname(file) === path.join(NOTEBOOKS, 'zh'))).toBe(true);
  });

  it('names the folder of a chapter that is not there', () => {
    expect(() => chapterFiles(['zh/99'])).toThrow('no chapter zh/99 in notebooks/zh/');
    expect(() => chapterFiles(['99'])).toThrow('no chapter 99 in notebooks/');
  });
});
