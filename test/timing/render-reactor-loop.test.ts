import { describe, expect, it } from 'vitest';
import { renderReactorLoop } from '../../lib/timing/render-reactor-loop';

describe('renderReactorLoop', () => {
  it('draws the wait, the dispatch, a box per handler and the way back', () => {
    const svg = renderReactorLoop({
      title: 'Figure 5 <loop>',
      wait: 'await select(waiting, [])',
      handlers: ['Task 1: read', 'Task 2: read'],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Figure 5 &#60;loop&#62;');
    expect(svg).toContain('>await select(waiting, [])</text>');
    expect(svg).toContain('>dispatch each event to its handler</text>');
    expect(svg).toContain('>Task 2: read</text>');
    // Two boxes of the loop and one per handler.
    expect(svg.match(/<rect [^>]*rx="8"/g)).toHaveLength(4);
    // Wait to dispatch, dispatch back to wait (dashed), and one arrow per handler.
    expect(svg.match(/marker-end="url\(#head\)"/g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
  });

  it('has defaults, and grows to fit many handlers', () => {
    const three = renderReactorLoop();
    expect(three).toContain('>wait for events</text>');
    expect(three).toContain('>handler 3</text>');
    const many = renderReactorLoop({ handlers: Array.from({ length: 8 }, (_, i) => `h${i}`) });
    const height = (svg: string): number => Number(/ height="(\d+)"/.exec(svg)?.[1]);
    expect(height(many)).toBeGreaterThan(height(three));
  });
});
