// Conformance tests for DeferredList and gatherResults (chapter 18), modelled on
// twisted/test/test_defer.py.
import { describe, expect, it } from 'vitest';
import { CancelledError, Deferred, DeferredList, Failure, FirstError, fail, gatherResults, setErrorLogger, succeed } from '../../lib/defer';
import { GenericError, failureOf } from './helpers';

describe('DeferredList', () => {
  // test_defer.DeferredTests.testDeferredList
  it('fires with [success, result] entries in order once all have fired', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>();
    const dl = new DeferredList([d1, d2, d3]);
    let result: unknown;
    dl.addCallback((r) => (result = r));
    d1.callback('1');
    d2.errback(new GenericError('2'));
    expect(result).toBeUndefined();
    d3.callback('3');
    const entries = result as [boolean, unknown][];
    expect(entries.map((e) => e[0])).toEqual([true, false, true]);
    expect(entries[0][1]).toBe('1');
    expect((entries[1][1] as Failure).value).toBeInstanceOf(GenericError);
    expect(entries[2][1]).toBe('3');
    // Without consumeErrors the failure is still in d2.
    expect(failureOf(d2)?.value).toBeInstanceOf(GenericError);
  });

  // test_defer.DeferredTests.testEmptyDeferredList, test_defer.DeferredListEmptyTests
  it('fires at once with [] for an empty list', () => {
    expect(new DeferredList([]).result).toEqual([]);
  });

  // test_defer.DeferredTests.testEmptyDeferredList (fireOnOneCallback)
  it('never fires for an empty list with fireOnOneCallback, as in Twisted', () => {
    expect(new DeferredList([], { fireOnOneCallback: true }).called).toBe(false);
  });

  it('fires with [value, index] on the first success with fireOnOneCallback', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2], { fireOnOneCallback: true });
    d2.callback('two');
    expect(dl.result).toEqual(['two', 1]);
    d1.callback('one');
    expect(dl.result).toEqual(['two', 1]);
    expect(dl.resultList).toEqual([
      [true, 'one'],
      [true, 'two'],
    ]);
  });

  // test_defer.DeferredTests.testDeferredListFireOnOneError
  it('errbacks with a FirstError on the first failure with fireOnOneErrback', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true });
    d1.callback('1');
    d2.errback(new GenericError('from def2'));
    const failure = failureOf(dl);
    expect(failure?.value).toBeInstanceOf(FirstError);
    const firstError = failure?.value as FirstError;
    expect(firstError.index).toBe(1);
    expect(firstError.subFailure.getErrorMessage()).toBe('from def2');
    expect(firstError.message).toBe('FirstError[#1, from def2]');
    failureOf(d2);
  });

  // test_defer.DeferredTests.testDeferredListDontConsumeErrors / testDeferredListConsumeErrors
  it('replaces failures in the given Deferreds by undefined with consumeErrors', () => {
    const d = new Deferred<string>();
    const dl = new DeferredList([d], { consumeErrors: true });
    d.errback(new GenericError('Bang'));
    expect(d.result).toBeUndefined();
    expect((dl.result as [boolean, Failure][])[0][1].getErrorMessage()).toBe('Bang');
  });

  // test_defer.DeferredTests.testDeferredListWithAlreadyFiredDeferreds
  it('handles Deferreds that have already fired', () => {
    const d1 = fail(new GenericError('Bang'));
    const d2 = succeed(2);
    const dl = new DeferredList([d1, d2]);
    const entries = dl.result as [boolean, unknown][];
    expect(entries[1]).toEqual([true, 2]);
    failureOf(d1);
  });

  // test_defer.DeferredTests.testDeferredListFireOnOneErrorWithAlreadyFiredDeferreds
  it('errbacks at once on an already failed Deferred with fireOnOneErrback', () => {
    const d1 = fail(new GenericError('Bang'));
    const d2 = succeed(2);
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true });
    expect((failureOf(dl)?.value as FirstError).index).toBe(0);
    failureOf(d1);
  });

  // test_defer.DeferredTests.test_cancelDeferredList
  it('cancels every Deferred when cancelled', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2]);
    dl.cancel();
    expect(failureOf(d1)?.value).toBeInstanceOf(CancelledError);
    expect(failureOf(d2)?.value).toBeInstanceOf(CancelledError);
    const entries = dl.result as [boolean, Failure][];
    expect(entries.map((e) => e[0])).toEqual([false, false]);
  });

  // test_defer.DeferredTests.test_cancelDeferredListCallback
  it('cancels only the Deferreds that have not fired', () => {
    const d1 = new Deferred<string>((d) => d.callback('cancelled and called back'));
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2]);
    dl.cancel();
    expect(d1.result).toBe('cancelled and called back');
    expect(failureOf(d2)?.value).toBeInstanceOf(CancelledError);
  });

  // test_defer.DeferredTests.test_cancelFiredOnOneCallbackDeferredList
  it('does nothing when cancelled after firing', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2], { fireOnOneCallback: true });
    d1.callback('fired');
    dl.cancel();
    expect(d2.called).toBe(false);
  });

  // test_defer.DeferredTests.test_cancelDeferredListWithException
  it('logs a canceller that throws and still cancels the others', () => {
    const lines: string[] = [];
    const previous = setErrorLogger((line) => lines.push(line));
    try {
      const d1 = new Deferred<string>(() => {
        throw new RangeError('test');
      });
      const d2 = new Deferred<string>();
      const dl = new DeferredList([d1, d2]);
      dl.cancel();
      expect(failureOf(d2)?.value).toBeInstanceOf(CancelledError);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Exception raised from user supplied canceller\nRangeError: test/);
    } finally {
      setErrorLogger(previous);
    }
  });
});

describe('gatherResults', () => {
  // test_defer.DeferredTests.test_gatherResults
  it('fires with the list of results', () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const gathered = gatherResults([d1, d2]);
    d2.callback(2);
    d1.callback(1);
    expect(gathered.result).toEqual([1, 2]);
  });

  it('fires with [] for an empty list', () => {
    expect(gatherResults([]).result).toEqual([]);
  });

  // test_defer.DeferredTests.test_gatherResults (failure) and test_gatherResultsWithConsumeErrors
  it('fails with a FirstError, and consumeErrors leaves undefined in the failed Deferred', () => {
    const failing = fail<number>(new RangeError('oh noes'));
    const gathered = gatherResults([succeed(1), failing], { consumeErrors: true });
    const firstError = failureOf(gathered)?.value as FirstError;
    expect(firstError).toBeInstanceOf(FirstError);
    expect(firstError.subFailure.value).toBeInstanceOf(RangeError);
    expect(failing.result).toBeUndefined();
  });

  // test_defer.DeferredTests.test_cancelGatherResults
  it('cancels the Deferreds when cancelled', () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const gathered = gatherResults([d1, d2]);
    gathered.cancel();
    const firstError = failureOf(gathered)?.value as FirstError;
    expect(firstError.subFailure.value).toBeInstanceOf(CancelledError);
    failureOf(d1);
    failureOf(d2);
  });
});
