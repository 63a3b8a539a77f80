// Chapters 03 (calling things later, repeatedly) and 19 (cancelling a deferLater).
// Tests: test/reactor/task.test.ts.
import { Deferred } from '../defer/deferred';
import { maybeDeferred } from '../defer/maybe-deferred';
import type { Failure } from '../defer/failure';
import { strict as assert } from 'node:assert';
import { checkSeconds } from './delayed-call';
import type { IDelayedCall, IReactorTime } from './interfaces';

/**
 * Call `fn(...args)` `seconds` from now, as Twisted's `task.deferLater`.
 * @param clock - the scheduler (a reactor, or `Clock` in tests).
 * @param seconds - the delay, >= 0.
 * @param fn - what to call; without it the Deferred fires with `undefined`.
 * @returns a Deferred of `fn`'s result (a failed one if `fn` throws). Cancelling it before the
 *   time cancels the delayed call and errbacks with `CancelledError`.
 * @throws TypeError for a negative `seconds`.
 */
export function deferLater<A extends unknown[], R = undefined>(
  clock: IReactorTime,
  seconds: number,
  fn?: (...args: A) => R,
  ...args: A
): Deferred<Awaited<R>> {
  const deferred: Deferred<undefined> = new Deferred<undefined>(() => call.cancel());
  const call: IDelayedCall = clock.callLater(seconds, () => deferred.callback(undefined));
  return deferred.addCallback(() => (fn ? fn(...args) : undefined) as Awaited<R>);
}

/**
 * Call a function every `interval` seconds, as Twisted's `task.LoopingCall`.
 *
 * If the function returns a Deferred (or a promise), the next call is scheduled only once it
 * has fired, on the next interval boundary from the start (missed intervals are skipped). If
 * the function throws or its Deferred fails, the loop stops and `start()`'s Deferred fails.
 * Set `clock` before `start()`: there is no default reactor in this layer.
 */
export class LoopingCall<A extends unknown[] = unknown[]> {
  /** The scheduler; must be set before `start()`. */
  clock: IReactorTime | undefined;
  /** The interval given to `start()`, in seconds. */
  interval: number | undefined;
  /** The clock's time at `start()` (or at the last `reset()`). */
  startTime: number | undefined;
  readonly #fn: () => unknown;
  #running = false;
  #call: IDelayedCall | undefined; // the next scheduled run, if not running the function now
  #deferred: Deferred<LoopingCall<A>> | undefined; // start()'s Deferred, until it fires

  /**
   * @param fn - the function to call, with `args`.
   */
  constructor(fn: (...args: A) => unknown, ...args: A) {
    this.#fn = () => fn(...args);
  }

  /** True from `start()` until `stop()`, or until the function fails. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Start calling the function every `interval` seconds.
   * @param interval - seconds between calls, >= 0 (0: as often as the clock runs calls).
   * @param now - call it at once (default), or first after one interval.
   * @returns a Deferred that fires with this LoopingCall when `stop()` is called, or fails with
   *   the function's failure.
   * @throws AssertionError when already running or no clock is set; TypeError for a negative
   *   interval.
   */
  start(interval: number, now = true): Deferred<LoopingCall<A>> {
    assert(!this.#running, 'Tried to start an already running LoopingCall.');
    assert(this.clock !== undefined, 'LoopingCall.clock must be set before start().');
    checkSeconds('interval', interval);
    this.#running = true;
    // A failing first call clears #deferred before we return: keep our own reference.
    const deferred = (this.#deferred = new Deferred<LoopingCall<A>>());
    this.startTime = this.clock.seconds();
    this.interval = interval;
    if (now) this.#runOnce();
    else this.#scheduleFrom(this.startTime);
    return deferred;
  }

  /**
   * Stop the loop. If the function's Deferred is pending, `start()`'s Deferred fires when it does.
   * @throws AssertionError when not running.
   */
  stop(): void {
    assert(this.#running, 'Tried to stop a LoopingCall that was not running.');
    this.#running = false;
    if (this.#call !== undefined) {
      this.#call.cancel();
      this.#call = undefined;
      this.#finish().callback(this);
    }
  }

  /**
   * Skip the pending call and restart the interval from now.
   * @throws AssertionError when not running.
   */
  reset(): void {
    assert(this.#running, 'Tried to reset a LoopingCall that was not running.');
    if (this.#call !== undefined) {
      this.#call.cancel();
      this.#call = undefined;
      this.startTime = this.#clock().seconds();
      this.#scheduleFrom(this.startTime);
    }
  }

  #runOnce(): void {
    this.#call = undefined;
    maybeDeferred(this.#fn).addCallbacks(
      () => {
        if (this.#running) this.#scheduleFrom(this.#clock().seconds());
        else this.#finish().callback(this);
      },
      (failure: Failure) => {
        this.#running = false;
        this.#finish().errback(failure);
      },
    );
  }

  // Schedule the next call at the next interval boundary after `when`.
  #scheduleFrom(when: number): void {
    this.#call = this.#clock().callLater(this.#delayFrom(when), () => this.#runOnce());
  }

  #delayFrom(when: number): number {
    const interval = this.interval!;
    if (interval === 0) return 0;
    const untilNext = interval - ((when - this.startTime!) % interval);
    // So close to the boundary that adding it changes nothing: it is the next interval's turn.
    return when === when + untilNext ? interval : untilNext;
  }

  #clock(): IReactorTime {
    return this.clock!;
  }

  #finish(): Deferred<LoopingCall<A>> {
    const deferred = this.#deferred!;
    this.#deferred = undefined;
    return deferred;
  }
}
