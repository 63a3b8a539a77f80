import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN_THREAD, type ModelRun, runAsynchronous } from '../../lib/models/index';
import { anyOverlap, distinct, overlap, QUICK, spans, switches, WAITING } from './spans';

describe('runAsynchronous', () => {
  // One run with waits serves the tests that only read its timeline.
  let waiting: ModelRun;
  beforeAll(async () => {
    waiting = await runAsynchronous(WAITING);
  });

  it('runs every step of every task, all in the main thread', async () => {
    const { timeline } = await runAsynchronous(QUICK);
    const runs = spans(timeline, 'run');
    expect(runs).toHaveLength(QUICK.tasks * QUICK.steps);
    expect(distinct(runs, 'lane')).toEqual([MAIN_THREAD]);
    expect(spans(timeline, 'wait')).toHaveLength(0);
  });

  it('never runs two steps at once', async () => {
    const { timeline } = waiting;
    expect(anyOverlap(spans(timeline, 'run'))).toBe(false);
  });

  it('interleaves the tasks: each hands over after every step', async () => {
    const { timeline } = await runAsynchronous(QUICK);
    const runs = spans(timeline, 'run');
    expect(runs.slice(0, 3).map((run) => run.task)).toEqual(['task 1', 'task 2', 'task 3']);
    expect(switches(runs)).toBe(runs.length - 1);
  });

  it('runs other tasks while one waits, its wait in a lane of its own', async () => {
    const { timeline } = waiting;
    const waits = spans(timeline, 'wait');
    expect(waits).toHaveLength(WAITING.tasks * WAITING.steps);
    expect(distinct(waits, 'lane')).toEqual(['task 1 waiting', 'task 2 waiting', 'task 3 waiting']);
    const runs = spans(timeline, 'run');
    // Some step of another task runs inside some wait.
    expect(waits.some((wait) => runs.some((run) => run.task !== wait.task && overlap(run, wait)))).toBe(true);
  });

  it('leaves no timer behind: a second run does the same', async () => {
    const first = await runAsynchronous({ ...WAITING, steps: 1 });
    const second = await runAsynchronous({ ...WAITING, steps: 1 });
    expect(second.timeline.entries.map((e) => [e.task, e.kind])).toEqual(first.timeline.entries.map((e) => [e.task, e.kind]));
  });
});
