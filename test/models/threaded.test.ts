import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ModelRun, runThreaded } from '../../lib/models/index';
import { distinct, overlap, QUICK, spans, WAITING } from './spans';

/** This process's threads (Linux): a worker thread that has exited is gone from the list. */
const threadCount = (): number => readdirSync('/proc/self/task').length;

describe('runThreaded', () => {
  // One run with waits serves the tests that only read its timeline.
  let waiting: ModelRun;
  beforeAll(async () => {
    waiting = await runThreaded(WAITING);
  });

  it('runs every step of every task, each task in a thread (lane) of its own', async () => {
    const { timeline } = await runThreaded(QUICK);
    const runs = spans(timeline, 'run');
    expect(runs).toHaveLength(QUICK.tasks * QUICK.steps);
    expect(distinct(timeline.entries, 'lane').sort()).toEqual(['thread 1', 'thread 2', 'thread 3']);
    for (const lane of ['thread 1', 'thread 2', 'thread 3']) {
      expect(distinct(timeline.entries.filter((e) => e.lane === lane), 'task')).toHaveLength(1);
    }
  });

  it('runs the threads at once: spans in different lanes overlap in time', async () => {
    const { timeline } = waiting;
    const entries = timeline.entries;
    const across = (a: string, b: string): boolean =>
      entries.some((x) => x.lane === a && entries.some((y) => y.lane === b && overlap(x, y)));
    expect(across('thread 1', 'thread 2')).toBe(true);
    expect(across('thread 2', 'thread 3')).toBe(true);
    expect(across('thread 1', 'thread 3')).toBe(true);
  });

  it('follows each step with its wait, inside the thread', async () => {
    const { timeline } = waiting;
    const waits = spans(timeline, 'wait');
    expect(waits).toHaveLength(WAITING.tasks * WAITING.steps);
    for (const wait of waits) expect(wait.end - wait.start).toBeGreaterThanOrEqual(WAITING.wait * 0.95);
  });

  it('has ended every thread it started when it resolves', async () => {
    const before = threadCount();
    const run = runThreaded(QUICK);
    await run;
    expect(threadCount()).toBe(before);
  });

  it('puts every span inside the run: elapsed covers the threads, start-up included', async () => {
    const { timeline, elapsed } = await runThreaded(QUICK);
    for (const entry of timeline.entries) {
      expect(entry.start).toBeGreaterThanOrEqual(0);
      expect(entry.end).toBeLessThanOrEqual(elapsed);
    }
  });
});
