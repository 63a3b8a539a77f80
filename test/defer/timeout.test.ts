// Conformance tests for Deferred.addTimeout with Clock (chapter 19), modelled on
// twisted/test/test_defer.py's DeferredAddTimeoutTests.
import { describe, expect, it } from 'vitest';
import { CancelledError, Deferred, Failure, TimeoutError } from '../../lib/defer';
import { Clock } from '../../lib/reactor/clock';
import { failureOf } from './helpers';

describe('Deferred.addTimeout', () => {
  // test_defer.DeferredAddTimeoutTests.test_timeoutChainable
  it('returns the same Deferred', () => {
    const d = new Deferred();
    expect(d.addTimeout(10, new Clock())).toBe(d);
  });

  // test_defer.DeferredAddTimeoutTests.test_successResultBeforeTimeout
  it('keeps a result that comes in time, and cancels the timer', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    let result: unknown;
    d.addCallback((r) => (result = r));
    expect(result).toBeUndefined();
    d.callback('result');
    expect(result).toBe('result');
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(15);
    expect(result).toBe('result');
  });

  // test_defer.DeferredAddTimeoutTests.test_failureBeforeTimeout
  it('keeps a failure that comes in time', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    d.errback(new RangeError('early'));
    expect(clock.getDelayedCalls()).toEqual([]);
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  // test_defer.DeferredAddTimeoutTests.test_timedOut
  it('errbacks with TimeoutError when the time runs out', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    clock.advance(9);
    expect(d.called).toBe(false);
    clock.advance(1);
    const failure = failureOf(d);
    expect(failure?.value).toBeInstanceOf(TimeoutError);
    expect((failure?.value as TimeoutError).timeout).toBe(10);
    expect(failure?.getErrorMessage()).toBe('Deferred timed out after 10 seconds');
  });

  // test_defer.DeferredAddTimeoutTests.test_timedOutCustom
  it('calls onTimeoutCancel with the result and the timeout', () => {
    const clock = new Clock();
    const calls: unknown[] = [];
    const d = new Deferred<string>().addTimeout(10, clock, (value, seconds) => {
      calls.push([(value as Failure).value instanceof CancelledError, seconds]);
      return 'OVERRIDDEN';
    });
    clock.advance(10);
    expect(calls).toEqual([[true, 10]]);
    expect(d.result).toBe('OVERRIDDEN');
  });

  // test_defer.DeferredAddTimeoutTests.test_timedOutProvidedCancelSuccess
  it('keeps a success result a canceller gives on timeout', () => {
    const clock = new Clock();
    const d = new Deferred<string>((deferred) => deferred.callback("I've been cancelled!")).addTimeout(10, clock);
    clock.advance(10);
    expect(d.result).toBe("I've been cancelled!");
  });

  // test_defer.DeferredAddTimeoutTests.test_timedOutProvidedCancelFailure
  it('keeps a non-cancellation failure a canceller gives on timeout', () => {
    const clock = new Clock();
    const d = new Deferred<string>((deferred) => deferred.errback(new RangeError('what!'))).addTimeout(10, clock);
    clock.advance(10);
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  // test_defer.DeferredAddTimeoutTests.test_cancelBeforeTimeout
  it('leaves a CancelledError from a cancel before the timeout as it is', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  // test_defer.DeferredAddTimeoutTests.test_errbackAddedBeforeTimeoutSuppressesCancellation
  it('covers the callbacks added before it: an earlier errback can swallow the cancellation', () => {
    const clock = new Clock();
    const d = new Deferred<string>();
    d.addErrback((f) => {
      f.trap(CancelledError);
      return 'swallowed';
    });
    d.addTimeout(10, clock);
    clock.advance(10);
    expect(d.result).toBe('swallowed');
  });

  // test_defer.DeferredAddTimeoutTests.test_callbackAddedToCancelerBeforeTimeout
  it('does not cover callbacks added after it', () => {
    const clock = new Clock();
    const d = new Deferred<string>().addTimeout(10, clock);
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    clock.advance(10);
    expect(failure?.value).toBeInstanceOf(TimeoutError);
  });

  it('rejects a negative timeout through the clock', () => {
    expect(() => new Deferred().addTimeout(-1, new Clock())).toThrow(TypeError);
  });
});
