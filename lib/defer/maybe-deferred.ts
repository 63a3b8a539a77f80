// Chapter 14 (maybeDeferred, succeed and fail). Tests: test/defer/maybe-deferred.test.ts.
import { Deferred } from './deferred';
import { isThenable } from './helpers';
import { Failure } from './failure';

/**
 * A Deferred that has already fired with `result`, for code that has its answer now but must
 * return a Deferred.
 * @param result - the result (a Failure makes it a failed Deferred).
 * @returns the fired Deferred.
 */
export function succeed<T>(result: T): Deferred<T> {
  const deferred = new Deferred<T>();
  deferred.callback(result);
  return deferred;
}

/**
 * A Deferred that has already failed.
 * @param reason - a Failure, or any value (normally an Error), which is wrapped in one.
 * @returns the failed Deferred. Add an errback, or its Failure is logged as unhandled.
 */
export function fail<T = never>(reason: unknown): Deferred<T> {
  const deferred = new Deferred<T>();
  deferred.errback(reason);
  return deferred;
}

/**
 * Call `fn` and always get a Deferred back: its Deferred as it is, a promise adapted with
 * `Deferred.fromPromise` (Twisted 22.4 has no promises; this is the TypeScript counterpart of
 * a coroutine), a returned Failure or a throw as a failed Deferred, any other value as a fired one.
 * @param fn - the function to call with `args`.
 * @returns a Deferred of `fn`'s result.
 */
export function maybeDeferred<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<Awaited<R>> {
  let result: unknown;
  try {
    result = fn(...args);
  } catch (error) {
    return fail(error);
  }
  if (result instanceof Failure) return fail(result);
  if (isThenable(result)) return Deferred.fromPromise(result) as Deferred<Awaited<R>>;
  return succeed(result as Awaited<R>);
}
