import { describe, expect, it } from 'vitest';
import { renderTimeline, Timeline } from '../../lib/timing/index';

function fakeTime(): { now: () => number; advance: (s: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (s) => (t += s) };
}

describe('Timeline', () => {
  it('records spans and chunks relative to its origin', () => {
    const time = fakeTime();
    const timeline = new Timeline(time.now);
    time.advance(1);
    timeline.record('Task 1', 'run', () => time.advance(2), { lane: 'main' });
    timeline.chunk('Task 2', 10);
    timeline.addSpan('Task 3', 'wait', 1003, 1004);
    expect(timeline.entries).toEqual([
      { task: 'Task 1', lane: 'main', kind: 'run', start: 1, end: 3 },
      { task: 'Task 2', lane: 'Task 2', kind: 'chunk', start: 3, end: 3, bytes: 10 },
      { task: 'Task 3', lane: 'Task 3', kind: 'wait', start: 3, end: 4 },
    ]);
    expect(timeline.duration).toBe(4);
    expect(timeline.entriesOf('Task 2')).toHaveLength(1);
  });

  it('records a span even when the work throws', () => {
    const time = fakeTime();
    const timeline = new Timeline(time.now);
    expect(() =>
      timeline.record('Task 1', 'run', () => {
        time.advance(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(timeline.entries[0]).toMatchObject({ start: 0, end: 1 });
  });

  it('rejects a span that ends before it starts', () => {
    const timeline = new Timeline(fakeTime().now);
    expect(() => timeline.addSpan('Task 1', 'run', 1002, 1001)).toThrow(TypeError);
  });
});

describe('renderTimeline', () => {
  it('draws a row per lane, a bar per span, a tick per chunk, and escapes text', () => {
    const time = fakeTime();
    const timeline = new Timeline(time.now);
    timeline.addSpan('A & B', 'run', 1000, 1001, { lane: 'main' });
    timeline.addSpan('C', 'wait', 1001, 1003, { lane: 'main' });
    timeline.addSpan('C', 'run', 1003, 1004, { lane: 'worker' });
    time.advance(2);
    timeline.chunk('C', 30, { lane: 'worker' });
    const svg = renderTimeline(timeline, { title: 'Figure <1>' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Figure &#60;1&#62;');
    expect(svg).toContain('A &#38; B');
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
    expect(svg.match(/<line [^>]*stroke-width="1.5"/g)).toHaveLength(1);
    expect(svg).toContain('>main</text>');
    expect(svg).toContain('>worker</text>');
  });

  it('uses the given right edge, so figures can share one scale', () => {
    const timeline = new Timeline(fakeTime().now);
    timeline.addSpan('A', 'run', 1000, 1001);
    const half = renderTimeline(timeline, { width: 526, until: 2 });
    const full = renderTimeline(timeline, { width: 526 });
    // The plot is 400 px wide: 1 s of 2 s is 200 px, 1 s of 1 s is 400 px.
    expect(half).toContain('width="200.0"');
    expect(full).toContain('width="400.0"');
  });
});
