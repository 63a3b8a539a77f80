// Tests for the Promise bridges: then/await, asPromise, Deferred.fromPromise, and callbacks
// that return promises (chapters 17 and 20).
import { describe, expect, it } from 'vitest';
import { CancelledError, Deferred, Failure, fail, succeed } from '../../lib/defer';

describe('Deferred.then', () => {
  it('lets `await` get the result', async () => {
    const d = new Deferred<number>();
    setImmediate(() => d.callback(5));
    expect(await d).toBe(5);
  });

  it('makes `await` throw the failure value, the original error', async () => {
    const error = new RangeError('original');
    await expect(fail(error)).rejects.toBe(error);
  });

  // Twisted's asFuture and `await` consume the result: the Deferred is left with None.
  it('consumes the result: the Deferred holds undefined afterwards', async () => {
    const d = succeed('value');
    expect(await d).toBe('value');
    expect(d.result).toBeUndefined();
    const failed = fail(new Error('x'));
    await expect(failed).rejects.toThrow('x');
    expect(failed.result).toBeUndefined();
  });

  it('works with Promise.resolve and as an async function return value', async () => {
    expect(await Promise.resolve(succeed(1))).toBe(1);
    const fromAsync = async () => succeed(2);
    expect(await fromAsync()).toBe(2);
  });

  it('passes onfulfilled and onrejected through', async () => {
    expect(await succeed(2).then((v) => v * 3)).toBe(6);
    expect(await fail(new Error('e')).then(undefined, (e: unknown) => (e as Error).message)).toBe('e');
  });
});

describe('Deferred.asPromise', () => {
  // test_defer.DeferredFutureAdapterTests.test_asFuture
  it('resolves with the result and leaves undefined behind', async () => {
    const d = new Deferred<number>();
    const promise = d.asPromise();
    d.callback(13);
    expect(d.result).toBeUndefined();
    expect(await promise).toBe(13);
  });

  // test_defer.DeferredFutureAdapterTests.test_asFutureFailure
  it('rejects with the failure value', async () => {
    const d = new Deferred<number>();
    const promise = d.asPromise();
    const error = new TypeError('nope');
    d.errback(error);
    await expect(promise).rejects.toBe(error);
  });
});

describe('Deferred.fromPromise', () => {
  // test_defer.DeferredFutureAdapterTests.test_fromFuture
  it('fires when the promise resolves, not before', async () => {
    const d = Deferred.fromPromise(Promise.resolve(13));
    expect(d.called).toBe(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(d.result).toBe(13);
  });

  it('fails with the rejection reason', async () => {
    const error = new RangeError('rejected');
    const d = Deferred.fromPromise(Promise.reject(error));
    await new Promise((resolve) => setImmediate(resolve));
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    expect(failure?.value).toBe(error);
  });

  // test_defer.DeferredFutureAdapterTests.test_fromFutureDeferredCancelled (no way to stop a Promise)
  it('errbacks with CancelledError when cancelled and ignores the later settlement', async () => {
    const d = Deferred.fromPromise(Promise.resolve('too late'));
    d.cancel();
    await new Promise((resolve) => setImmediate(resolve));
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    expect(failure?.value).toBeInstanceOf(CancelledError);
  });

  it('returns a Deferred as it is', () => {
    const d = new Deferred();
    expect(Deferred.fromPromise(d)).toBe(d);
  });

  it('fails with what a thenable whose then() throws throws', () => {
    const broken = {
      then(): never {
        throw new RangeError('broken thenable');
      },
    };
    let failure: Failure | undefined;
    Deferred.fromPromise(broken).addErrback((f) => void (failure = f));
    expect(failure?.value).toBeInstanceOf(RangeError);
  });
});

describe('Deferred callbacks returning promises', () => {
  it('pauses the chain until the promise settles', async () => {
    const d = succeed(1);
    const seen: number[] = [];
    d.addCallback(async (r) => r + 1).addCallback((r) => void seen.push(r));
    expect(seen).toEqual([]);
    expect(d.paused).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([2]);
  });

  it('goes to the errbacks when the promise rejects', async () => {
    const d = succeed(1);
    let failure: Failure | undefined;
    d.addCallback(async () => {
      throw new RangeError('async throw');
    }).addErrback((f) => void (failure = f));
    await new Promise((resolve) => setImmediate(resolve));
    expect(failure?.value).toBeInstanceOf(RangeError);
  });

  it('cancelling the chain while it waits on a promise errbacks with CancelledError', async () => {
    const d = succeed(1).addCallback(() => new Promise<number>(() => undefined));
    d.cancel();
    let failure: Failure | undefined;
    d.addErrback((f) => void (failure = f));
    expect(failure?.value).toBeInstanceOf(CancelledError);
  });
});
