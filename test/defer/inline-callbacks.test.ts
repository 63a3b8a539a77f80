// Conformance tests for inlineCallbacks and ensureDeferred (chapter 17), modelled on
// twisted/test/test_defgen.py, test_defer.py's EnsureDeferredTests and test_inlinecb.py.
import { describe, expect, it } from 'vitest';
import { CancelledError, Deferred, NotACoroutineError, ensureDeferred, fail, inlineCallbacks, succeed } from '../../lib/defer';
import { failureOf } from './helpers';

describe('inlineCallbacks', () => {
  // test_defgen.InlineCallbacksTests.testBasics
  it('resumes the generator with the results of yielded Deferreds, and fires with its return value', () => {
    const later = new Deferred<number>();
    const run = inlineCallbacks(function* (start: number) {
      const a = (yield succeed(start)) as number;
      const b = (yield later) as number;
      return a + b;
    });
    const d = run(1);
    expect(d.called).toBe(false);
    later.callback(41);
    expect(d.result).toBe(42);
    // The yielded Deferred's result was consumed, as Twisted leaves None.
    expect(later.result).toBeUndefined();
  });

  // test_defgen.InlineCallbacksTests.testYieldNonDeferred
  it('sends a yielded plain value straight back', () => {
    const run = inlineCallbacks(function* () {
      const x = yield 5;
      return x;
    });
    expect(run().result).toBe(5);
  });

  // test_defgen.InlineCallbacksTests.testReturnNoValue
  it('fires with undefined when the generator returns nothing', () => {
    const run = inlineCallbacks(function* () {
      yield 1;
    });
    const d = run();
    expect(d.called).toBe(true);
    expect(d.result).toBeUndefined();
  });

  // test_defgen.InlineCallbacksTests.testHandledTerminalFailure
  it('throws a failure into the generator at the yield, which may catch it', () => {
    const run = inlineCallbacks(function* () {
      try {
        yield fail(new RangeError('thrown in'));
      } catch (error) {
        return `caught ${(error as Error).name}`;
      }
      return 'not caught';
    });
    expect(run().result).toBe('caught RangeError');
  });

  // test_defgen.InlineCallbacksTests.testBuggy
  it('fails with what the generator throws', () => {
    const run = inlineCallbacks(function* () {
      yield 1;
      throw new TypeError('buggy');
    });
    expect(failureOf(run())?.value).toBeInstanceOf(TypeError);
  });

  it('throws a failure that arrives later into the generator', () => {
    const later = new Deferred<number>();
    const run = inlineCallbacks(function* () {
      yield later;
    });
    const d = run();
    later.errback(new RangeError('async'));
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  it('waits for a yielded promise', async () => {
    const run = inlineCallbacks(function* () {
      const value = (yield Promise.resolve('from a promise')) as string;
      return value.toUpperCase();
    });
    expect(await run()).toBe('FROM A PROMISE');
  });

  // Deviation: Twisted refuses to return a Deferred; here the result waits for it.
  it('waits for a returned Deferred', () => {
    const later = new Deferred<string>();
    const run = inlineCallbacks(function* () {
      yield 1;
      return later;
    });
    const d = run();
    expect(d.called).toBe(true); // fired, waiting on `later`
    later.callback('done');
    expect(d.result).toBe('done');
  });

  // test_defgen.InlineCallbacksTests.testStackUsage
  it('loops, not recurses, over 100,000 yields of fired Deferreds', () => {
    const run = inlineCallbacks(function* () {
      let total = 0;
      for (let i = 0; i < 100_000; i++) total += (yield succeed(1)) as number;
      return total;
    });
    expect(run().result).toBe(100_000);
  });

  it('throws TypeError when the function does not produce a generator', () => {
    const run = inlineCallbacks((() => 42) as never);
    expect(() => run()).toThrow(TypeError);
  });

  it('passes `this` and the arguments through', () => {
    const counter = {
      step: 2,
      run: inlineCallbacks(function* (this: { step: number }, start: number) {
        yield 0;
        return start + this.step;
      }),
    };
    expect(counter.run(40).result).toBe(42);
  });

  // test_inlinecb.CancellationTests.test_cascadeCancellingOnCancel
  it('cancels the Deferred the generator waits on when cancelled', () => {
    let innerCancelled = false;
    const inner = new Deferred<string>(() => void (innerCancelled = true));
    const run = inlineCallbacks(function* () {
      yield inner;
    });
    const d = run();
    d.cancel();
    expect(innerCancelled).toBe(true);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });

  // test_inlinecb.CancellationTests.test_errbackCancelledErrorOnCancel (the generator goes on)
  it('lets the generator catch the cancellation and go on', () => {
    const second = new Deferred<string>();
    const run = inlineCallbacks(function* () {
      try {
        yield new Deferred<string>();
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
      }
      const value = (yield second) as string;
      return `recovered with ${value}`;
    });
    const d = run();
    const seen: unknown[] = [];
    d.addCallback((r) => void seen.push(r));
    d.cancel();
    expect(seen).toEqual([]);
    second.callback('more');
    expect(seen).toEqual(['recovered with more']);
  });
});

describe('ensureDeferred', () => {
  // test_defer.EnsureDeferredTests.test_passesThroughDeferreds
  it('returns a Deferred as it is', () => {
    const d = new Deferred();
    expect(ensureDeferred(d)).toBe(d);
  });

  // test_defer.EnsureDeferredTests.test_willNotAllowNonDeferredOrCoroutine
  it('throws NotACoroutineError for anything else', () => {
    expect(() => ensureDeferred('something' as never)).toThrow(NotACoroutineError);
    expect(() => ensureDeferred('something' as never)).toThrow(TypeError);
  });

  // test_defer.EnsureDeferredTests.test_ensureDeferredCoroutine
  it('adapts the promise of an async function', async () => {
    async function run(): Promise<string> {
      const value = await succeed('foo');
      return `${value}bar`;
    }
    const d = ensureDeferred(run());
    expect(d).toBeInstanceOf(Deferred);
    expect(await d).toBe('foobar');
  });

  // test_defer.EnsureDeferredTests.test_ensureDeferredGenerator
  it('runs a generator', () => {
    function* run(): Generator<unknown, string, unknown> {
      const value = (yield succeed('foo')) as string;
      return `${value}bar`;
    }
    expect(ensureDeferred(run()).result).toBe('foobar');
  });
});
