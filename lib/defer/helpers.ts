// Chapters 09 and 13: the Deferred's small helpers that do not need the class itself.
// Tests: test/defer/deferred.test.ts, chaining.test.ts, promise.test.ts.
import { Failure } from './failure';

/** @returns whether `value` has a `then` method (a Promise, a Deferred, any thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** @throws TypeError "Expected `name` to be a function, got ..." when `value` is not one. */
export function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got \`${String(value)}\` (${typeof value})`);
  }
}


/** A result as `Deferred.toString` shows it. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Failure) return value.toString(); // a Deferred's result is never a Deferred
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}

/** Fire `deferred` when `promise` settles (for `Deferred.fromPromise`). */
export function settleWith<T>(
  promise: PromiseLike<T>,
  deferred: { callback(value: T): void; errback(reason: unknown): void },
): void {
  try {
    promise.then(
      (value) => deferred.callback(value),
      (reason: unknown) => deferred.errback(reason),
    );
  } catch (error) {
    deferred.errback(error); // a broken thenable, as Promise.resolve() treats it
  }
}
