// Figure text in the notebook's language (lib/timing/figure-text.ts) and the renderers that use it.
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderBarChart } from '../../lib/notebook/bar-chart';
import { renderSequence } from '../../lib/notebook/sequence-figure';
import { renderStack } from '../../lib/notebook/stack-figure';
import { courseStrings, figureText, notebookLanguage, parseStrings, translateWith } from '../../lib/timing/figure-text';
import { renderReactorLoop } from '../../lib/timing/render-reactor-loop';
import { renderTimeline } from '../../lib/timing/render-timeline';
import { Timeline } from '../../lib/timing/timeline';
import { TranslationFormatError } from '../../lib/timing/translation-format';

const STRINGS = parseStrings(
  ['# strings', '', '=== string ===', '--- en ---', 'seconds', '--- zh ---', '秒', '', '=== string ===', '--- en ---', 'Task {}', '--- zh ---', '任务 {}',
    '=== string ===', '--- en ---', 'Task {}: read what {} sent', '--- zh ---', '任务 {}：读取 {} 发来的内容',
    '=== string ===', '--- en ---', 'ecstasy', '--- zh ---', '狂喜', ''].join('\n'),
);

afterEach(() => vi.unstubAllEnvs());

describe('notebookLanguage', () => {
  it('is zh in notebooks/zh, en elsewhere, and POETRY_LANG overrides both', () => {
    expect(notebookLanguage({}, path.join('/x', 'notebooks', 'zh'))).toBe('zh');
    expect(notebookLanguage({}, path.join('/x', 'notebooks'))).toBe('en');
    expect(notebookLanguage({}, path.join('/x', 'other', 'zh'))).toBe('en');
    expect(notebookLanguage({ POETRY_LANG: 'en' }, path.join('/x', 'notebooks', 'zh'))).toBe('en');
    expect(notebookLanguage({ POETRY_LANG: 'zh' }, '/x')).toBe('zh');
  });

  it('rejects another POETRY_LANG', () => {
    expect(() => notebookLanguage({ POETRY_LANG: 'fr' }, '/x')).toThrow("Expected `POETRY_LANG` to be 'en' or 'zh', got `fr` (string)");
  });
});

describe('translateWith', () => {
  it('uses an exact entry, else the holed entry with the most fixed text, holes translated', () => {
    expect(translateWith(STRINGS, 'seconds')).toBe('秒');
    expect(translateWith(STRINGS, 'Task 3')).toBe('任务 3');
    expect(translateWith(STRINGS, 'Task 1: read what ecstasy sent')).toBe('任务 1：读取 狂喜 发来的内容');
  });

  it('leaves text without an entry as it is', () => {
    expect(translateWith(STRINGS, 'addCallback')).toBe('addCallback');
    expect(translateWith([], 'seconds')).toBe('seconds');
  });

  it('reads strings.md strictly', () => {
    expect(() => parseStrings('# strings\n=== string ===\n--- en ---\nx\n')).toThrow(TranslationFormatError);
    expect(() => parseStrings('# strings\n=== cell a ===\n--- en ---\nx\n--- zh ---\ny\n')).toThrow('strings.md:2: unknown entry `=== cell a ===`');
  });
});

describe('the course strings', () => {
  it('parse, and figureText takes them in zh only', () => {
    expect(courseStrings().length).toBeGreaterThan(10);
    expect(figureText('seconds', 'zh')).toBe('秒');
    expect(figureText('seconds', 'en')).toBe('seconds');
  });
});

describe('the renderers', () => {
  const timeline = new Timeline(() => 0);
  timeline.addSpan('Task 1', 'run', 0, 1);

  it('draw English outside notebooks/zh', () => {
    const svg = renderTimeline(timeline, { title: 'Figure 4c · blocking client: chunks received' });
    expect(svg).toContain('>seconds<');
    expect(svg).toContain('>Task 1<');
  });

  it('draw the Chinese of titles, labels and legends in zh, and keep text without an entry', () => {
    vi.stubEnv('POETRY_LANG', 'zh');
    const svg = renderTimeline(timeline, { title: 'Figure 4c · blocking client: chunks received' });
    expect(svg).toContain('>图 4c · 阻塞客户端：收到的数据块<');
    expect(svg).toContain('>秒<');
    expect(svg).toContain('>任务 1<');
    expect(renderReactorLoop({ title: 'Figure 5 · the reactor loop of the asynchronous client' })).toContain('>事件就绪<');
    expect(renderStack([], 'Who is on the stack when a callLater function runs')).toContain('你的代码（单元格）');
    const chart = renderBarChart([{ label: '10,000: our Deferred', value: 1 }], { title: 'not translated' });
    expect(chart).toContain('>10,000：我们的 Deferred<');
    expect(chart).toContain('>not translated<');
    const notes = renderBarChart([{ label: 'slow server, fetch 1', value: 1, note: '(miss)' }]);
    expect(notes).toContain('>慢速服务器，第 1 次获取<');
    expect(notes).toContain('>1 （未命中）<');
    const sequence = renderSequence(['your code', 'outer Deferred'], [{ from: 'your code', to: 'outer Deferred', label: 'outer.cancel()', kind: 'call' }], {
      title: 'cancel() on the outer Deferred, recorded as it ran',
    });
    expect(sequence).toContain('>对外层 Deferred 调用 cancel()，按运行顺序记录<');
    expect(sequence).toContain('>你的代码<');
    expect(sequence).toContain('>1. outer.cancel()<');
    expect(sequence).toContain('>调用<');
  });
});
