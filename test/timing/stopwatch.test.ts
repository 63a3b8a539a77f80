import { describe, expect, it } from 'vitest';
import { Stopwatch, wallSeconds } from '../../lib/timing/index';

function fakeTime(): { now: () => number; advance: (s: number) => void } {
  let t = 100;
  return { now: () => t, advance: (s) => (t += s) };
}

describe('Stopwatch', () => {
  it('measures with the time source it is given', () => {
    const time = fakeTime();
    const watch = new Stopwatch(time.now);
    time.advance(2.5);
    expect(watch.elapsed()).toBe(2.5);
    expect(String(watch)).toBe('0:00:02.500000');
  });

  it('restart returns the time so far and counts again from zero', () => {
    const time = fakeTime();
    const watch = new Stopwatch(time.now);
    time.advance(1);
    expect(watch.restart()).toBe(1);
    time.advance(0.25);
    expect(watch.elapsed()).toBe(0.25);
  });
});

describe('wallSeconds', () => {
  it('counts seconds since the epoch, so worker threads agree', () => {
    expect(Math.abs(wallSeconds() - Date.now() / 1000)).toBeLessThan(1);
  });
});
