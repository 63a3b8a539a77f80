// Chapters 07 (Deferred interlude), 17 (inlineCallbacks), 18 (DeferredList), 19 (cancellation).
// Tests: test/defer/deferred.test.ts, test/defer/deferred-list.test.ts.
import type { Failure } from './failure';

/** Raised when `callback` or `errback` is called on a Deferred that has already fired. */
export class AlreadyCalledError extends Error {
  override name = 'AlreadyCalledError';
}

/** The failure a Deferred gets by default when it is cancelled. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** The failure a Deferred gets when `addTimeout`'s time runs out before it fires. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';

  /**
   * @param timeout - the timeout that ran out, in seconds.
   * @param what - what timed out (Twisted passes `"Deferred"`).
   */
  constructor(
    readonly timeout?: number,
    readonly what = 'Deferred',
  ) {
    super(timeout === undefined ? `${what} timed out` : `${what} timed out after ${timeout} seconds`);
  }
}

/** Raised by `ensureDeferred` for a value that is neither a Deferred, a promise nor a generator. */
export class NotACoroutineError extends TypeError {
  override name = 'NotACoroutineError';
}

/**
 * The failure of a chain whose callback returned the Deferred it is attached to, which could
 * never fire. (Twisted 22.4 only warns, then hangs; its warning says it will become an error.)
 */
export class CircularChainError extends Error {
  override name = 'CircularChainError';
  constructor() {
    super('Callback returned the Deferred it was attached to; this breaks the callback chain');
  }
}

/**
 * Raised by `unpause()` on a Deferred that is not paused. (Twisted lets the counter go
 * negative, which silently stalls the chain until a matching `pause()`.)
 */
export class NotPausedError extends Error {
  override name = 'NotPausedError';
  constructor() {
    super('unpause() called on a Deferred that is not paused');
  }
}

/** The first failure in a `DeferredList` with `fireOnOneErrback` (and so in `gatherResults`). */
export class FirstError extends Error {
  override name = 'FirstError';

  /**
   * @param subFailure - the failure of the Deferred that failed first.
   * @param index - that Deferred's position in the list.
   */
  constructor(
    readonly subFailure: Failure,
    readonly index: number,
  ) {
    super(`FirstError[#${index}, ${subFailure.getErrorMessage()}]`);
  }
}
