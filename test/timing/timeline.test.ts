import { describe, expect, it } from 'vitest';
import { renderTimeline, Timeline } from '../../lib/timing/index';
import { sharedScale } from '../../lib/timing/render-timeline';

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

  it('records a span begun now and ended later (begin)', () => {
    const time = fakeTime();
    const timeline = new Timeline(time.now);
    time.advance(1);
    const end = timeline.begin('Task 1', 'wait', { lane: 'downloads' });
    time.advance(2);
    expect(timeline.entries).toHaveLength(0);
    end();
    expect(timeline.entries).toEqual([{ task: 'Task 1', lane: 'downloads', kind: 'wait', start: 1, end: 3 }]);
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

describe('renderTimeline lanes and colours', () => {
  /** The lane labels of a figure, top to bottom. */
  const laneLabels = (svg: string): string[] =>
    [...svg.matchAll(/<text x="102" y="(\d+)" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[2]);
  /** The colour of the bar whose tooltip names `task`. */
  const colourOf = (svg: string, task: string): string | undefined =>
    new RegExp(`fill="(#[0-9a-f]{6})"[^>]*><title>${task} `).exec(svg)?.[1];

  it('orders lanes by task number, not by which task arrived first', () => {
    const timeline = new Timeline(fakeTime().now);
    timeline.addSpan('Task 3', 'run', 1000, 1001);
    timeline.addSpan('Task 10', 'run', 1000, 1001);
    timeline.addSpan('Task 1', 'run', 1001, 1002);
    timeline.addSpan('Task 2', 'run', 1002, 1003);
    expect(laneLabels(renderTimeline(timeline))).toEqual(['Task 1', 'Task 2', 'Task 3', 'Task 10']);
  });

  it('keeps a shared lane of several tasks where its first task goes', () => {
    const timeline = new Timeline(fakeTime().now);
    timeline.addSpan('task 2', 'wait', 1000, 1001, { lane: 'task 2 waiting' });
    timeline.addSpan('task 1', 'run', 1001, 1002, { lane: 'main thread' });
    timeline.addSpan('task 1', 'wait', 1002, 1003, { lane: 'task 1 waiting' });
    timeline.addSpan('task 2', 'run', 1002, 1003, { lane: 'main thread' });
    expect(laneLabels(renderTimeline(timeline))).toEqual(['main thread', 'task 1 waiting', 'task 2 waiting']);
  });

  it('gives a task the same colour in every figure, whichever tasks the figure has', () => {
    const all = new Timeline(fakeTime().now);
    for (const task of ['Task 1', 'Task 2', 'Task 3']) all.addSpan(task, 'run', 1000, 1001);
    const some = new Timeline(fakeTime().now);
    some.addSpan('Task 3', 'run', 1000, 1001);
    some.addSpan('Task 2', 'run', 1000, 1001);
    const [a, b] = [renderTimeline(all), renderTimeline(some)];
    expect(colourOf(a, 'Task 3')).toBe(colourOf(b, 'Task 3'));
    expect(colourOf(a, 'Task 2')).toBe(colourOf(b, 'Task 2'));
    expect(colourOf(a, 'Task 2')).not.toBe(colourOf(a, 'Task 3'));
  });

  it('sharedScale is the longest duration, so compared figures end at one edge', () => {
    const short = new Timeline(fakeTime().now);
    short.addSpan('Task 1', 'run', 1000, 1002);
    const long = new Timeline(fakeTime().now);
    long.addSpan('Task 1', 'run', 1000, 1005);
    expect(sharedScale([short, long])).toBe(5);
    expect(sharedScale([])).toBe(0);
  });
});
