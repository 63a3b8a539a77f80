// Conformance tests for callbacks that return Deferreds (chapter 13), modelled on
// twisted/test/test_defer.py.
import { describe, expect, it } from 'vitest';
import { CircularChainError, Deferred, Failure, gatherResults, succeed } from '../../lib/defer';

describe('Deferred chaining (a callback returns a Deferred)', () => {
  // test_defer.DeferredTests.testReturnDeferred
  it('waits for the returned Deferred, including while it is paused', () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    d2.pause();
    const seen: number[] = [];
    d1.addCallback(() => d2).addCallback((r) => void seen.push(r));
    d1.callback(1);
    expect(seen).toEqual([]);
    d2.callback(2);
    expect(seen).toEqual([]);
    d2.unpause();
    expect(seen).toEqual([2]);
  });

  // test_defer.DeferredTests.test_synchronousImplicitChain
  it('takes the result of an already fired Deferred at once, and leaves undefined in it', () => {
    const inner = succeed('inner result');
    const outer = succeed('outer').addCallback(() => inner);
    expect(outer.result).toBe('inner result');
    expect(inner.result).toBeUndefined();
  });

  // test_defer.DeferredTests.test_asynchronousImplicitChain
  it('leaves undefined in the inner Deferred once the outer one took its result', () => {
    const inner = new Deferred<string>();
    const outer = succeed(0).addCallback(() => inner);
    const seen: string[] = [];
    outer.addCallback((r) => void seen.push(r));
    inner.callback('later');
    expect(seen).toEqual(['later']);
    expect(inner.result).toBeUndefined();
    expect(inner.called).toBe(true);
  });

  // test_defer.DeferredTests.test_synchronousImplicitErrorChain / test_asynchronousImplicitErrorChain
  it('passes the inner failure on, and the inner Deferred no longer holds it', () => {
    const inner = new Deferred<string>();
    const outer = succeed(0).addCallback(() => inner);
    let failure: Failure | undefined;
    outer.addErrback((f) => void (failure = f));
    inner.errback(new RangeError('inner failed'));
    expect(failure?.value).toBeInstanceOf(RangeError);
    expect(inner.result).toBeUndefined();
  });

  // test_defer.DeferredTests.test_doubleAsynchronousImplicitChaining
  it('chains through two levels', () => {
    const first = new Deferred<string>();
    const second = new Deferred<string>();
    first.addCallback(() => second);
    const outer = succeed(0).addCallback(() => first);
    first.callback('ignored');
    second.callback('final');
    expect(outer.result).toBe('final');
  });

  // test_defer.DeferredTests.test_innerCallbacksPreserved
  it("runs the middle Deferred's callbacks after the innermost fires and before the outer gets a result", () => {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const inner = new Deferred<string>();
    const outer = succeed('outer');
    outer.addCallback((result) => {
      results.push(['start-of-cb', result]);
      const d = succeed('inner');
      d.addCallback(() => {
        results.push(['firstCallback', 'inner']);
        return inner;
      }).addCallback((r) => {
        results.push(['secondCallback', r]);
        return r + r;
      });
      d.addErrback((f) => void failures.push(f));
      return d;
    });
    inner.callback('orange');
    outer.addCallback((r) => void results.push(r));
    inner.addErrback((f) => void failures.push(f));
    outer.addErrback((f) => void failures.push(f));
    expect(failures).toEqual([]);
    expect(results).toEqual([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
      ['secondCallback', 'orange'],
      'orangeorange',
    ]);
  });

  // test_defer.DeferredTests.test_callbackOrderPreserved
  it('runs a later outer callback after the inner chain', () => {
    const results: unknown[] = [];
    const a = new Deferred<string>();
    const outer = new Deferred<string>();
    outer.addCallback((result) => {
      results.push(['cb', result]);
      const d = new Deferred<unknown>();
      d.addCallback((r) => {
        results.push(['firstCallback', r]);
        return gatherResults([a]);
      });
      d.addCallback((r) => void results.push(['secondCallback', r]));
      d.callback(undefined);
      return d;
    });
    outer.addCallback(() => void results.push(['final', undefined]));
    outer.callback('outer');
    expect(results).toEqual([
      ['cb', 'outer'],
      ['firstCallback', undefined],
    ]);
    a.callback('withers');
    expect(results).toEqual([
      ['cb', 'outer'],
      ['firstCallback', undefined],
      ['secondCallback', ['withers']],
      ['final', undefined],
    ]);
  });

  // test_defer.DeferredTests.test_chainedPausedDeferredWithResult
  it('waits for a paused Deferred that already has a result', () => {
    const paused = succeed('expected');
    paused.pause();
    const chained = succeed(0).addCallback(() => paused);
    const seen: string[] = [];
    chained.addCallback((r) => void seen.push(r));
    expect(seen).toEqual([]);
    paused.unpause();
    expect(seen).toEqual(['expected']);
  });

  // test_defer.DeferredTests.test_pausedDeferredChained
  it('lets the inner Deferred run its own later callbacks while the outer one is paused', () => {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    first.addCallback(() => second);
    first.callback();
    first.pause();
    second.callback();
    const seen: unknown[] = [];
    second.addCallback((r) => void seen.push(r));
    expect(seen).toEqual([undefined]);
  });

  // test_defer.DeferredTests.test_resultOfDeferredResultOfDeferredOfFiredDeferredCalled
  it('runs callbacks added to the middle Deferred after the last one fires', () => {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    const third = new Deferred<void>();
    first.addCallback(() => second);
    second.addCallback(() => third);
    second.callback();
    first.callback();
    third.callback();
    const seen: unknown[] = [];
    second.addCallback((r) => void seen.push(r));
    expect(seen).toEqual([undefined]);
  });

  // test_defer.DeferredTests.test_circularChainException (the warning turned into an error)
  it('fails with CircularChainError when a callback returns its own Deferred', () => {
    const d = new Deferred<string>();
    d.addCallback(() => d);
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    d.callback('foo');
    expect(failure?.value).toBeInstanceOf(CircularChainError);
    expect(failure?.getErrorMessage()).toMatch(/Callback returned the Deferred it was attached to/);
  });

  // test_defer.DeferredTests.test_boundedStackDepth, at 100,000 levels
  it('resolves 100,000 nested Deferreds without overflowing the stack', () => {
    const depth = 100_000;
    const deferreds = Array.from({ length: depth + 1 }, () => new Deferred<string>());
    for (let i = 0; i < depth; i++) {
      const next = deferreds[i + 1];
      deferreds[i].addCallback(() => next);
    }
    const seen: string[] = [];
    deferreds[0].addCallback((r) => void seen.push(r));
    for (let i = 0; i < depth; i++) deferreds[i].callback('ignored');
    expect(seen).toEqual([]);
    deferreds[depth].callback('bottom');
    expect(seen).toEqual(['bottom']);
    expect(deferreds[depth / 2].result).toBeUndefined();
  });

  it('resolves 100,000 Deferreds each returning an already fired one, iteratively', () => {
    const outer = succeed(0);
    for (let i = 0; i < 100_000; i++) outer.addCallback((r) => succeed(r + 1));
    expect(outer.result).toBe(100_000);
  });
});

describe('Deferred.chainDeferred', () => {
  it('fires the other Deferred with the result, and leaves undefined behind', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    a.callback(3);
    expect(b.result).toBe(3);
    expect(a.result).toBeUndefined();
  });

  it('passes a failure on to the other Deferred', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    let failure: Failure | undefined;
    b.addErrback((f) => void (failure = f));
    a.errback(new RangeError('x'));
    expect(failure?.value).toBeInstanceOf(RangeError);
    expect(a.result).toBeUndefined();
  });
});
