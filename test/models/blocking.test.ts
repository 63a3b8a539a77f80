import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCKING_WAIT_RATIO, type ModelRun, runBlocking } from '../../lib/models/index';
import { QUICK, spans } from './spans';

describe('runBlocking', () => {
  // One run with the default wait serves the tests that only read its timeline.
  let blocked: ModelRun;
  beforeAll(() => {
    blocked = runBlocking(QUICK);
  });

  it('waits BLOCKING_WAIT_RATIO times as long as it works unless told otherwise', () => {
    const { timeline } = blocked;
    const waits = spans(timeline, 'wait');
    expect(waits).toHaveLength(QUICK.tasks * QUICK.steps);
    for (const wait of waits) expect(wait.end - wait.start).toBeGreaterThanOrEqual(BLOCKING_WAIT_RATIO * QUICK.work * 0.95);
  });

  it('takes the wait it is given', () => {
    const { timeline } = runBlocking({ ...QUICK, tasks: 1, steps: 1, wait: 0.01 });
    expect(spans(timeline, 'wait')).toHaveLength(1);
  });

  it('refuses a wait of 0: nothing would block', () => {
    expect(() => runBlocking({ wait: 0 })).toThrow(new TypeError('Expected `wait` to be a number > 0, got `0` (number)'));
  });
});
