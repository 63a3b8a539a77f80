import { describe, expect, it } from 'vitest';
import { StepQueue } from '../../lib/defer/step-queue';

describe('StepQueue', () => {
  it('gives back what was pushed, in order, across many segments, then undefined', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => () => i);
    const queue = new StepQueue(steps[0]);
    for (const step of steps.slice(1)) queue.push(step);
    const taken = [];
    for (let step = queue.shift(); step !== undefined; step = queue.shift()) taken.push(step);
    expect(taken).toEqual(steps);
    expect(queue.isEmpty()).toBe(true);
  });

  it('takes pushes that come while it is being emptied, as a callback adding a step does', () => {
    const a = () => 'a';
    const b = () => 'b';
    const c = () => 'c';
    const queue = new StepQueue(a);
    expect(queue.shift()).toBe(a);
    expect(queue.isEmpty()).toBe(true);
    queue.push(b);
    expect(queue.isEmpty()).toBe(false);
    queue.push(c);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([b, c, undefined]);
  });

  it('interleaves pushes and shifts across segment boundaries', () => {
    const made = Array.from({ length: 9_000 }, (_, i) => () => i);
    const queue = new StepQueue(made[0]);
    const taken: unknown[] = [];
    for (let i = 1; i < made.length; i++) {
      queue.push(made[i]);
      if (i % 3 === 0) taken.push(queue.shift());
    }
    for (let step = queue.shift(); step !== undefined; step = queue.shift()) taken.push(step);
    expect(taken).toEqual(made);
  });
});
