import { afterEach, describe, expect, it, vi } from 'vitest';
import { Poller } from '../../lib/sockets/poller';
import { MAX_TIMER_SECONDS, setLongTimeout } from '../../lib/time/index';

const MAX_MS = MAX_TIMER_SECONDS * 1000;
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('setLongTimeout', () => {
  it('waits a delay longer than a timer holds, in parts, and calls once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fn = vi.fn();
    setLongTimeout(fn, MAX_MS + 5000);
    vi.advanceTimersByTime(MAX_MS);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('is cancelled by the function it returns, in any part of the wait', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fn = vi.fn();
    const cancel = setLongTimeout(fn, MAX_MS + 5000);
    vi.advanceTimersByTime(MAX_MS + 1000);
    cancel();
    vi.advanceTimersByTime(MAX_MS);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('Poller.poll', () => {
  // A month is longer than a timer holds: Node would fire such a timer at once, again and again.
  it('waits a month with no timer longer than a timer holds', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const poller = new Poller();
    const polled = poller.poll(30 * 24 * 3600);
    await Promise.resolve();
    const delays = setTimeoutSpy.mock.calls.map((call) => Number(call[1]));
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_MS);
    poller.wakeUp();
    expect(await polled).toEqual([]);
  });
});
