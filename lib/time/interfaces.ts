// Chapters 03 (callLater), 15 (Clock) and 19 (addTimeout): the contract of anything that
// schedules calls. It sits on the bottom floor, beside lib/log, so that the Deferred
// (addTimeout) and the reactor can both name it without importing each other; the reactor's
// contracts re-export it from lib/reactor/interfaces.ts. Tests: test/reactor/clock.test.ts.

/**
 * A call scheduled with `IReactorTime.callLater`, as Twisted's `IDelayedCall`.
 *
 * Testing advice: schedule on a `Clock` and `advance` it, rather than waiting in real time.
 */
export interface IDelayedCall {
  /** @returns the time, in the scheduler's seconds, at which the call will run. */
  getTime(): number;

  /**
   * Unschedule the call.
   * @throws AlreadyCancelled if it was cancelled already.
   * @throws AlreadyCalled if it has run already.
   */
  cancel(): void;

  /**
   * Move the call later (or earlier, with a negative number) relative to its scheduled time.
   * @param secondsLater - seconds added to its time.
   * @throws AlreadyCancelled if it was cancelled.
   * @throws AlreadyCalled if it has run.
   */
  delay(secondsLater: number): void;

  /**
   * Reschedule the call to run `secondsFromNow` seconds from now.
   * @param secondsFromNow - a number >= 0.
   * @throws AlreadyCancelled if it was cancelled.
   * @throws AlreadyCalled if it has run.
   * @throws TypeError if `secondsFromNow` is negative or not a number.
   */
  reset(secondsFromNow: number): void;

  /** @returns true until the call has run or been cancelled. */
  active(): boolean;
}

/**
 * Time-based scheduling, as Twisted's `IReactorTime`: what a Deferred's `addTimeout`,
 * `deferLater` and `LoopingCall` need. The real reactor provides it, and so does `Clock`,
 * whose time only moves when a test says so.
 *
 * Testing advice: code that schedules takes an `IReactorTime` argument instead of reading the
 * time itself, so tests and notebooks can pass a `Clock` and print the same thing every run.
 */
export interface IReactorTime {
  /** @returns the current time in seconds (a monotonic clock for a reactor, any origin). */
  seconds(): number;

  /**
   * Call `fn(...args)` `seconds` seconds from now. Calls due at the same time run in the order
   * they were scheduled.
   * @param seconds - a number >= 0.
   * @returns the scheduled call, to cancel or reschedule it.
   * @throws TypeError if `seconds` is negative or not a number.
   */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, ...args: A): IDelayedCall;

  /** @returns the calls that are scheduled and have neither run nor been cancelled. */
  getDelayedCalls(): readonly IDelayedCall[];
}
