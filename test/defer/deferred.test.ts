// Conformance tests for Deferred's basic chain, modelled on Twisted's twisted/test/test_defer.py.
import { describe, expect, it } from 'vitest';
import {
  AlreadyCalledError,
  Deferred,
  Failure,
  NotPausedError,
  fail,
  succeed,
} from '../../lib/defer';
import { GenericError } from './helpers';

describe('Deferred.callback', () => {
  // test_defer.DeferredTests.testCallbackWithoutArgs
  it('runs a callback with the result, synchronously', () => {
    const seen: unknown[] = [];
    const d = new Deferred<string>();
    d.addCallback((r) => void seen.push(r));
    d.callback('hello');
    expect(seen).toEqual(['hello']);
  });

  // test_defer.DeferredTests.testTwoCallbacks
  it('passes each callback result to the next', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.addCallback((r) => r + 1).addCallback((r) => {
      seen.push(r);
      return r * 10;
    });
    d.callback(1);
    expect(seen).toEqual([2]);
    expect(d.result).toBe(20);
  });

  // test_defer.AlreadyCalledTests.testAlreadyCalled_CC
  it('throws AlreadyCalledError when called twice', () => {
    const d = new Deferred<number>();
    d.callback(1);
    expect(() => d.callback(2)).toThrow(AlreadyCalledError);
    expect(d.result).toBe(1);
  });

  // test_defer.AlreadyCalledTests.testAlreadyCalled_CE
  it('throws AlreadyCalledError on errback after callback', () => {
    const d = new Deferred<number>();
    d.callback(1);
    expect(() => d.errback(new Error('late'))).toThrow(AlreadyCalledError);
  });

  // test_defer.AlreadyCalledTests.testAlreadyCalled_EC
  it('throws AlreadyCalledError on callback after errback', () => {
    const d = new Deferred<number>();
    d.errback(new GenericError('x'));
    d.addErrback(() => undefined);
    expect(() => d.callback(1)).toThrow(AlreadyCalledError);
  });

  // Twisted asserts `not isinstance(result, Deferred)`
  it('refuses a Deferred as result', () => {
    const d = new Deferred<unknown>();
    expect(() => d.callback(new Deferred())).toThrow(TypeError);
    expect(d.called).toBe(false);
  });

  // test_defer.DeferredTests.test_callbackOrderPreserved (simplified: callbacks added later run later)
  it('runs a callback added after firing at once, with the current result', () => {
    const d = succeed(5);
    let seen: unknown;
    d.addCallback((r) => (seen = r));
    expect(seen).toBe(5);
  });

  it('sets called and result', () => {
    const d = new Deferred<number>();
    expect(d.called).toBe(false);
    expect(d.result).toBeUndefined();
    d.callback(3);
    expect(d.called).toBe(true);
    expect(d.result).toBe(3);
  });
});

describe('Deferred.errback', () => {
  // test_defer.DeferredTests.testCallbackErrors
  it('moves to the errbacks when a callback throws or returns a Failure', () => {
    const failures: Failure[] = [];
    const d1 = new Deferred<number>();
    d1.addCallback(() => {
      throw new RangeError('thrown');
    }).addErrback((f) => void failures.push(f));
    d1.callback(1);
    const d2 = new Deferred<number>();
    d2.addCallback(() => new Failure(new RangeError('returned'))).addErrback((f) => void failures.push(f));
    d2.callback(1);
    expect(failures.map((f) => f.value)).toEqual([new RangeError('thrown'), new RangeError('returned')]);
    expect(failures.every((f) => f.value instanceof RangeError)).toBe(true);
  });

  it('skips callbacks on the way to the next errback, and an errback that returns goes back to callbacks', () => {
    const path: string[] = [];
    const d = new Deferred<number>();
    d.addCallback(() => path.push('cb1'))
      .addErrback(() => path.push('eb1'))
      .addCallback(() => path.push('cb2'));
    d.errback(new GenericError('x'));
    expect(path).toEqual(['eb1', 'cb2']);
  });

  it('wraps a non-Error value in a Failure', () => {
    const d = new Deferred<number>();
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    d.errback('just a string');
    expect(failure).toBeInstanceOf(Failure);
    expect(failure?.value).toBe('just a string');
    expect(failure?.getErrorMessage()).toBe('just a string');
  });

  it('uses a Failure as it is', () => {
    const f = new Failure(new GenericError('x'));
    const d = new Deferred<number>();
    let seen: Failure | undefined;
    d.addErrback((got) => void (seen = got));
    d.errback(f);
    expect(seen).toBe(f);
  });

  it('starts on the errback path when callback() is given a Failure', () => {
    const d = new Deferred<number>();
    const path: string[] = [];
    d.addCallbacks(
      () => path.push('cb'),
      () => path.push('eb'),
    );
    d.callback(new Failure(new GenericError('x')));
    expect(path).toEqual(['eb']);
  });

  // test_defer.DeferredTests.testImmediateFailure
  it('runs an errback added to a failed Deferred at once', () => {
    const failures: Failure[] = [];
    fail(new GenericError('fail')).addErrback((f) => void failures.push(f));
    expect((failures[0].value as Error).message).toBe('fail');
  });
});

describe('Deferred.addCallbacks', () => {
  // test_defer.DeferredTests.testCallbackWithArgs
  it('passes callbackArgs to the callback', () => {
    const seen: unknown[][] = [];
    const d = new Deferred<string>();
    d.addCallbacks((r, a: string, b: number) => void seen.push([r, a, b]), null, { callbackArgs: ['x', 2] });
    d.callback('hello');
    expect(seen).toEqual([['hello', 'x', 2]]);
  });

  it('passes errbackArgs to the errback', () => {
    const seen: unknown[][] = [];
    const d = new Deferred<string>();
    d.addCallbacks(
      () => undefined,
      (f, a: string) => void seen.push([f.getErrorMessage(), a]),
      { errbackArgs: ['y'] },
    );
    d.errback(new GenericError('bad'));
    expect(seen).toEqual([['bad', 'y']]);
  });

  // test_defer.DeferredTests.test_addCallbacksNoneErrback
  it('passes a failure by when the errback is omitted', () => {
    const d = new Deferred<string>();
    d.addCallbacks(() => 'no');
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    d.errback(new GenericError('x'));
    expect(failure?.value).toBeInstanceOf(GenericError);
  });

  it('runs exactly one of the pair: an errback error is not seen by the same pair', () => {
    const path: string[] = [];
    const d = new Deferred<number>();
    d.addCallbacks(
      () => {
        path.push('cb');
        throw new GenericError('x');
      },
      () => path.push('eb (same pair)'),
    ).addErrback(() => path.push('eb (next pair)'));
    d.callback(1);
    expect(path).toEqual(['cb', 'eb (next pair)']);
  });

  it('rejects a callback that is not a function', () => {
    const d = new Deferred();
    expect(() => d.addCallbacks(undefined as never)).toThrow('Expected `callback` to be a function, got `undefined` (undefined)');
    expect(() => d.addErrback(42 as never)).toThrow(TypeError);
  });
});

describe('Deferred.addCallback', () => {
  // test_defer.DeferredTests.testCallbackWithArgs (addCallback form)
  it('passes extra args after the result', () => {
    const d = new Deferred<number>();
    let seen: unknown[] = [];
    d.addCallback((r, a: string, b: string) => void (seen = [r, a, b]), 'a', 'b');
    d.callback(1);
    expect(seen).toEqual([1, 'a', 'b']);
  });
});

describe('Deferred.addErrback', () => {
  it('passes extra args after the failure, and a success goes by', () => {
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    d.addErrback(() => void seen.push('errback'));
    d.callback(1);
    expect(seen).toEqual([]);
    expect(d.result).toBe(1);
    const e = new Deferred<number>();
    e.addErrback((f, tag: string) => void seen.push(tag), 'tagged');
    e.errback(new GenericError());
    expect(seen).toEqual(['tagged']);
  });
});

describe('Deferred.addBoth', () => {
  it('runs on either path, with args', () => {
    const seen: unknown[] = [];
    succeed(1).addBoth((r, tag: string) => void seen.push([r, tag]), 'ok');
    fail(new GenericError('x')).addBoth((r, tag: string) => void seen.push([(r as Failure).getErrorMessage(), tag]), 'ko');
    expect(seen).toEqual([
      [1, 'ok'],
      ['x', 'ko'],
    ]);
  });
});

describe('Deferred re-entrancy', () => {
  // test_defer.DeferredTests.test_reentrantRunCallbacks
  it('appends a callback added by a running callback to the end of the chain', () => {
    const d = new Deferred<void>();
    const called: number[] = [];
    d.addCallback(() => {
      called.push(1);
      d.addCallback(() => void called.push(3));
    });
    d.addCallback(() => void called.push(2));
    d.callback();
    expect(called).toEqual([1, 2, 3]);
  });

  // test_defer.DeferredTests.test_nonReentrantCallbacks
  it('does not run an added callback until the running one returns', () => {
    const d = new Deferred<void>();
    const called: number[] = [];
    d.addCallback(() => {
      called.push(1);
      d.addCallback(() => void called.push(2));
      expect(called).toEqual([1]);
    });
    d.callback();
    expect(called).toEqual([1, 2]);
  });

  // test_defer.DeferredTests.test_reentrantRunCallbacksWithFailure
  it('sends an exception from a re-entrantly added callback to the errbacks', () => {
    const d = new Deferred<void>();
    d.addCallback(() => {
      d.addCallback(() => {
        throw new Error('callback raised exception');
      });
    });
    d.callback();
    let message = '';
    d.addErrback((f) => void (message = f.getErrorMessage()));
    expect(message).toBe('callback raised exception');
  });
});

describe('Deferred.pause', () => {
  // test_defer.DeferredTests.testPausedFailure
  it('holds callbacks until unpause', () => {
    const d = fail(new GenericError('fail'));
    d.pause();
    const failures: Failure[] = [];
    d.addErrback((f) => void failures.push(f));
    expect(failures).toEqual([]);
    expect(d.paused).toBe(1);
    d.unpause();
    expect(failures[0].getErrorMessage()).toBe('fail');
  });

  it('nests: only the last unpause runs the callbacks', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.pause();
    d.pause();
    d.addCallback((r) => void seen.push(r));
    d.callback(1);
    d.unpause();
    expect(seen).toEqual([]);
    d.unpause();
    expect(seen).toEqual([1]);
  });

  // test_defer.DeferredTests.testUnpauseBeforeCallback
  it('unpausing before firing runs nothing yet', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.pause();
    d.addCallback((r) => void seen.push(r));
    d.unpause();
    expect(seen).toEqual([]);
    d.callback(7);
    expect(seen).toEqual([7]);
  });

  it('pausing inside a callback does not stop the callbacks of that run, as in Twisted', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.addCallback((r) => {
      d.pause();
      return r;
    });
    d.addCallback((r) => void seen.push(r));
    d.callback(1);
    expect(seen).toEqual([1]);
    expect(d.paused).toBe(1);
  });

  // Deviation: Twisted lets `paused` go to -1, which stalls the chain.
  it('unpause without pause throws NotPausedError', () => {
    const d = new Deferred<number>();
    expect(() => d.unpause()).toThrow(NotPausedError);
    expect(d.paused).toBe(0);
    const seen: number[] = [];
    d.addCallback((r) => void seen.push(r));
    d.callback(1);
    expect(seen).toEqual([1]);
  });
});

describe('Deferred.toString', () => {
  // test_defer.DeferredTests.test_repr, test_reprWithResult, test_reprWithChaining
  it('shows the state', () => {
    const d = new Deferred<string>();
    expect(String(d)).toBe('<Deferred>');
    d.callback('orange');
    expect(String(d)).toBe('<Deferred current result: "orange">');
    const outer = succeed(1).addCallback(() => new Deferred());
    expect(String(outer)).toBe('<Deferred waiting on Deferred>');
  });
});
