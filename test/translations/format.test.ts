// The translation file format (lib/timing/translation-format.ts, scripts/translations.ts): strict,
// and every error names the file and the line.
import { describe, expect, it } from 'vitest';
import { trimBlankEnd } from '../../lib/timing/translation-format';
import { parseTranslation } from '../../scripts/translations';

const parse = (lines: string[]) => parseTranslation(lines.join('\n'), '05-protocols.md');

describe('parseTranslation', () => {
  it('reads entries, zh-only entries, and drops the blank lines at the end of each part', () => {
    const translation = parse([
      '# 05-protocols',
      '',
      '=== cell a1 ===',
      '--- en ---',
      '# Protocols',
      '',
      'Text.',
      '',
      '--- zh ---',
      '# 协议',
      '',
      '=== zh-only after a1 ===',
      '--- zh ---',
      '术语',
      '',
    ]);
    expect(translation.cells.get('a1')).toEqual({ en: '# Protocols\n\nText.', zh: '# 协议', line: 3 });
    expect(translation.zhOnly).toEqual([{ after: 'a1', zh: '术语', line: 12 }]);
  });

  it.each([
    [['05-protocols'], '05-protocols.md:1: expected the title line `# NN-slug`'],
    [['# t', 'stray'], '05-protocols.md:2: text outside an entry'],
    [['# t', '=== cell a ===', 'x'], '05-protocols.md:3: text before `--- en ---`'],
    [['# t', '=== cell a ===', '--- zh ---'], '05-protocols.md:3: expected `--- en ---` here, got `--- zh ---`'],
    [['# t', '=== cell a ===', '--- en ---', 'x'], '05-protocols.md:2: `=== cell a ===` has no `--- zh ---` part'],
    [['# t', '=== cell a ===', '--- en ---', 'x', '--- zh ---', ''], '05-protocols.md:2: `=== cell a ===` has an empty `--- zh ---` part'],
    [['# t', '=== cel a ==='], '05-protocols.md:2: unknown entry `=== cel a ===`'],
    [['# t', '=== cell a ===', '--- EN ---'], '05-protocols.md:3: unknown part `--- EN ---` in `=== cell a ===`'],
    [['# t', '=== cell a ===', '--- en ---', 'x', '--- en ---'], '05-protocols.md:5: a second `--- en ---` in `=== cell a ===`'],
    [['# t', '=== zh-only after a ===', '--- en ---'], '05-protocols.md:3: unknown part `--- en ---` in `=== zh-only after a ===`'],
    [['# t', '--- en ---'], '05-protocols.md:2: `--- en ---` outside an entry'],
    [['# t', '=== cell a ===', '--- en ---', 'x', '--- zh ---', 'y', '=== cell a ===', '--- en ---', 'x', '--- zh ---', 'y'], '05-protocols.md:7: a second entry for cell a'],
  ])('rejects a malformed file, naming the line (%j)', (lines, message) => {
    expect(() => parse(lines)).toThrow(message);
  });

  it('compares English with its trailing blank lines removed', () => {
    expect(trimBlankEnd('a\n\nb\n\n  \n')).toBe('a\n\nb');
  });
});
