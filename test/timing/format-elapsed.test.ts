import { describe, expect, it } from 'vitest';
import { formatElapsed } from '../../lib/timing/index';

describe('formatElapsed', () => {
  // Expected strings are Python's str(datetime.timedelta(seconds=...)).
  it.each([
    [0, '0:00:00'],
    [10, '0:00:10'],
    [10.126361, '0:00:10.126361'],
    [23.065661, '0:00:23.065661'],
    [5e-7, '0:00:00'],
    [3599.9999996, '1:00:00'],
    [86400, '1 day, 0:00:00'],
    [90061.5, '1 day, 1:01:01.500000'],
    [172800.25, '2 days, 0:00:00.250000'],
  ])('formats %d seconds as %s', (seconds, expected) => {
    expect(formatElapsed(seconds)).toBe(expected);
  });

  it('rejects negative, infinite and non-numeric durations', () => {
    expect(() => formatElapsed(-1)).toThrow('Expected `seconds` to be a finite number >= 0, got `-1` (number)');
    expect(() => formatElapsed(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => formatElapsed('3' as unknown as number)).toThrow(TypeError);
  });
});
