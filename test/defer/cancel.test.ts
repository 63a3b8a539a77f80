// Conformance tests for cancellation (chapter 19), modelled on twisted/test/test_defer.py's
// DeferredCancellerTests.
import { describe, expect, it } from 'vitest';
import { AlreadyCalledError, CancelledError, Deferred, succeed } from '../../lib/defer';
import { failureOf } from './helpers';

describe('Deferred.cancel', () => {
  // test_defer.DeferredCancellerTests.test_noCanceller
  it('errbacks with CancelledError when there is no canceller', () => {
    const d = new Deferred<number>();
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });

  // test_defer.DeferredCancellerTests.test_raisesAfterCancelAndCallback
  it('swallows the one callback the operation makes later, when there is no canceller', () => {
    const d = new Deferred<number>();
    d.cancel();
    d.callback(1); // suppressed
    expect(() => d.callback(2)).toThrow(AlreadyCalledError);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });

  // test_defer.DeferredCancellerTests.test_raisesAfterCancelAndErrback
  it('swallows the one errback the operation makes later', () => {
    const d = new Deferred<number>();
    d.cancel();
    d.errback(new Error('late'));
    expect(() => d.errback(new Error('later'))).toThrow(AlreadyCalledError);
  });

  // test_defer.DeferredCancellerTests.test_noCancellerMultipleCancel
  it('is a no-op when called again', () => {
    const d = new Deferred<number>();
    d.cancel();
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });

  // test_defer.DeferredCancellerTests.test_cancellerMultipleCancel
  it('calls the canceller once', () => {
    let calls = 0;
    const d = new Deferred<number>(() => void calls++);
    d.cancel();
    d.cancel();
    expect(calls).toBe(1);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });

  // test_defer.DeferredCancellerTests.test_simpleCanceller / test_cancellerArg
  it('passes the Deferred to the canceller, then errbacks with CancelledError', () => {
    let given: unknown;
    const d = new Deferred<number>((deferred) => void (given = deferred));
    d.cancel();
    expect(given).toBe(d);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    // A canceller that did not fire the Deferred gets no suppression: a late callback is an error.
    expect(() => d.callback(1)).toThrow(AlreadyCalledError);
  });

  // test_defer.DeferredCancellerTests.test_cancelAfterCallback
  it('does nothing on a Deferred that has fired', () => {
    let calls = 0;
    const d = new Deferred<string>(() => void calls++);
    d.callback('biff!');
    d.cancel();
    expect(calls).toBe(0);
    expect(d.result).toBe('biff!');
  });

  // test_defer.DeferredCancellerTests.test_cancelAfterErrback
  it('does nothing on a Deferred that has failed', () => {
    const d = new Deferred<string>();
    d.errback(new RangeError('x'));
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  // test_defer.DeferredCancellerTests.test_cancellerThatErrbacks
  it('keeps the failure a canceller errbacks with', () => {
    const d = new Deferred<string>((deferred) => deferred.errback(new RangeError('by canceller')));
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  // test_defer.DeferredCancellerTests.test_cancellerThatCallbacks
  it('keeps the result a canceller callbacks with', () => {
    const d = new Deferred<string>((deferred) => deferred.callback('hello!'));
    d.cancel();
    expect(d.result).toBe('hello!');
  });

  // test_defer.DeferredCancellerTests.test_cancelNestedDeferred
  it('cancels the Deferred the chain is waiting on', () => {
    let innerCancelled = false;
    const inner = new Deferred<string>(() => void (innerCancelled = true));
    const outer = succeed(0).addCallback(() => inner);
    outer.cancel();
    expect(innerCancelled).toBe(true);
    expect(failureOf(outer)?.value).toBeInstanceOf(CancelledError);
  });

  it('lets an exception from the canceller propagate', () => {
    const d = new Deferred<string>(() => {
      throw new RangeError('canceller broke');
    });
    expect(() => d.cancel()).toThrow(RangeError);
  });
});
