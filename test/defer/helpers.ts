// Shared by the Deferred tests (test/defer, test/reactor).
import type { Deferred, Failure } from '../../lib/defer';

/** An error class of the tests' own, as test_defer.py's GenericError. */
export class GenericError extends Error {
  override name = 'GenericError';
}

/**
 * The Failure a Deferred holds now, or undefined. Adds an errback, so the failure is handled
 * (and the Deferred's result becomes undefined).
 */
export function failureOf(d: Deferred<unknown>): Failure | undefined {
  let failure: Failure | undefined;
  d.addErrback((f) => void (failure = f));
  return failure;
}
