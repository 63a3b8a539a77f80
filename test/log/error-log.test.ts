import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ErrorLogger, logError, setErrorLogger } from '../../lib/log/index';

describe('setErrorLogger', () => {
  let previous: ErrorLogger | undefined;
  afterEach(() => {
    if (previous) setErrorLogger(previous);
    previous = undefined;
    vi.restoreAllMocks();
  });

  it('sends logError lines to the logger in place and returns the one it replaces', () => {
    const lines: string[] = [];
    const mine: ErrorLogger = (line) => void lines.push(line);
    previous = setErrorLogger(mine);
    logError('first');
    logError('second');
    expect(lines).toEqual(['first', 'second']);
    expect(setErrorLogger(previous)).toBe(mine);
  });

  it('goes back to console.error when given undefined', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    previous = setErrorLogger(undefined);
    logError('to the console');
    expect(consoleError).toHaveBeenCalledWith('to the console');
  });
});
