import { describe, expect, it } from 'vitest';
import { describeError, stackOf } from '../../lib/log/index';

describe('describeError', () => {
  it("gives an Error's message", () => {
    expect(describeError(new RangeError('out of range'))).toBe('out of range');
  });

  it('gives a thrown string, number or null as itself, not undefined', () => {
    expect(describeError('connection refused')).toBe('connection refused');
    expect(describeError(42)).toBe('42');
    expect(describeError(null)).toBe('null');
    expect(describeError(undefined)).toBe('undefined');
  });

  it('does not throw for a value whose toString throws', () => {
    const hostile = {
      toString(): string {
        throw new Error('no');
      },
    };
    expect(describeError(hostile)).toBe('[object Object]');
    expect(describeError(Object.create(null))).toBe('[object Object]');
  });
});

describe('stackOf', () => {
  it("gives an Error's stack, which starts with its name and message", () => {
    const error = new TypeError('bad');
    expect(stackOf(error)).toBe(error.stack);
    expect(stackOf(error).startsWith('TypeError: bad\n')).toBe(true);
  });

  it('gives an Error without a stack as name: message, and anything else as describeError does', () => {
    const error = new Error('bare');
    error.stack = undefined;
    expect(stackOf(error)).toBe('Error: bare');
    expect(stackOf('a thrown string')).toBe('a thrown string');
  });
});
