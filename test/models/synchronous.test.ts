import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN_THREAD, type ModelRun, runSynchronous } from '../../lib/models/index';
import { wallSeconds } from '../../lib/timing/stopwatch';
import { anyOverlap, distinct, QUICK, spans, switches, WAITING } from './spans';

describe('runSynchronous', () => {
  // One run with waits serves the tests that only read its timeline.
  let waiting: ModelRun;
  beforeAll(() => {
    waiting = runSynchronous(WAITING);
  });

  it('runs every step of every task, all in the main thread', () => {
    const { timeline } = runSynchronous(QUICK);
    expect(spans(timeline, 'run')).toHaveLength(QUICK.tasks * QUICK.steps);
    expect(spans(timeline, 'wait')).toHaveLength(0);
    expect(distinct(timeline.entries, 'lane')).toEqual([MAIN_THREAD]);
  });

  it('runs the tasks one after another, in order, never two at once', () => {
    const { timeline } = waiting;
    const all = [...timeline.entries].sort((a, b) => a.start - b.start);
    expect(anyOverlap(all)).toBe(false);
    expect(distinct(all, 'task')).toEqual(['task 1', 'task 2', 'task 3']);
    // Each task's spans form one block: the task changes only twice.
    expect(switches(all)).toBe(2);
  });

  it('follows each step with its wait', () => {
    const { timeline } = waiting;
    expect(spans(timeline, 'wait')).toHaveLength(WAITING.tasks * WAITING.steps);
    expect(timeline.entries.map((entry) => entry.kind).slice(0, 4)).toEqual(['run', 'wait', 'run', 'wait']);
  });

  it('takes at least the sum of all the waits, and says so in elapsed', () => {
    const { timeline, elapsed } = waiting;
    const waits = WAITING.tasks * WAITING.steps * WAITING.wait;
    expect(elapsed).toBeGreaterThanOrEqual(waits * 0.95);
    expect(elapsed).toBeGreaterThanOrEqual(timeline.duration);
  });

  it('blocks the thread: a timer due during the run fires only after it', async () => {
    let firedAt = 0;
    const fired = new Promise<void>((resolve) => setTimeout(() => ((firedAt = wallSeconds()), resolve()), 0));
    const { timeline } = runSynchronous({ ...WAITING, tasks: 1 });
    const endedAt = timeline.origin + timeline.duration;
    await fired;
    expect(firedAt).toBeGreaterThanOrEqual(endedAt);
  });
});
