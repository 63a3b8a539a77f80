import { describe, expect, it } from 'vitest';
import { calibrate, iterationsFor, spin } from '../../lib/models/cpu-work';
import { wallSeconds } from '../../lib/timing/stopwatch';

describe('spin', () => {
  it('computes the same value for the same number of iterations', () => {
    expect(spin(1000)).toBe(spin(1000));
    expect(spin(0)).toBe(1);
    expect(spin(1)).toBe(1103527590);
  });
});

describe('calibrate', () => {
  it('measures a positive rate that iterationsFor then uses', () => {
    const rate = calibrate();
    expect(rate).toBeGreaterThan(0);
    expect(iterationsFor(2)).toBe(Math.round(2 * rate));
    expect(iterationsFor(0)).toBe(0);
  });
});

describe('iterationsFor', () => {
  it('refuses a negative number of seconds', () => {
    expect(() => iterationsFor(-1)).toThrow(new TypeError('Expected `seconds` to be a number >= 0, got `-1` (number)'));
  });
});

describe('spin(iterationsFor(seconds))', () => {
  it('keeps the thread busy for about the time asked', () => {
    const start = wallSeconds();
    spin(iterationsFor(0.05));
    const took = wallSeconds() - start;
    // A lower bound only: another program sharing the core makes it longer, never shorter.
    expect(took).toBeGreaterThan(0.015);
  });

  it('blocks the thread: a timer due meanwhile fires only afterwards', async () => {
    let firedAt = 0;
    const fired = new Promise<void>((resolve) => setTimeout(() => ((firedAt = wallSeconds()), resolve()), 0));
    spin(iterationsFor(0.03));
    const doneAt = wallSeconds();
    await fired;
    expect(firedAt).toBeGreaterThanOrEqual(doneAt);
  });
});
