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

// Float slack when counting ticks, in intervals: a call that runs at a tick's time computed
// another way (0.1 + 0.2 vs 3 * 0.1) counts as that tick, neither one early nor one late.
const TICK_SLACK = 1e-9;

/**
 * How many whole intervals have passed at time `t` on a schedule that ticks at
 * `startTime + k * interval` (Twisted's `LoopingCall._intervalOf`).
 */
export function ticksAt(startTime: number, interval: number, t: number): number {
  return Math.floor((t - startTime) / interval + TICK_SLACK);
}

/**
 * Seconds from `now` until the next tick of a schedule that ticks at `startTime + k * interval`:
 * the deadline arithmetic of Twisted's `LoopingCall`. Being late does not move the later ticks
 * (no drift), and ticks already missed are skipped rather than run back to back to catch up.
 * @returns 0 when `interval` is 0 (as often as the clock runs calls).
 */
export function untilNextTick(startTime: number, interval: number, now: number): number {
  if (interval === 0) return 0;
  const delay = startTime + (ticksAt(startTime, interval, now) + 1) * interval - now;
  // On time (to float error): exactly one interval, so that a clock moved on by `interval` k
  // times (0.05 + 0.05 + ...), which may read an ulp off start + k * interval, finds it due.
  return Math.abs(delay - interval) <= interval * TICK_SLACK ? interval : Math.max(0, delay);
}

/**
 * Call a function every `interval` seconds, as Twisted's `task.LoopingCall`.
 *
 * Call k is due at `startTime + k * interval`, whatever time the earlier calls ran: a late call
 * does not make the next one late (no drift). A call so late that whole intervals passed skips
 * them: the function runs once, not once per missed interval (`withCount` tells it how many
 * passed). If the function returns a Deferred (or a promise), the next call waits for it to
 * fire, then goes to the next interval boundary. If the function throws or its Deferred fails,
 * the loop stops and `start()`'s Deferred fails. Set `clock` before `start()`: there is no
 * default reactor in this layer.
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
  #runAtStart = false;
  #realLastTime: number | undefined; // withCount: when the count was last reported
  #call: IDelayedCall | undefined; // the next scheduled run, if not running the function now
  #deferred: Deferred<LoopingCall<A>> | undefined; // start()'s Deferred, until it fires

  /**
   * @param fn - the function to call, with `args`.
   */
  constructor(fn: (...args: A) => unknown, ...args: A) {
    this.#fn = () => fn(...args);
  }

  /**
   * A LoopingCall whose function is told how many intervals passed since it last ran, as
   * Twisted's `LoopingCall.withCount`: normally 1, more when calls were missed because the loop
   * was busy or the function's Deferred took longer than an interval; always 1 for interval 0.
   * @param countCallable - called with the count (an integer >= 1).
   */
  static withCount(countCallable: (count: number) => unknown): LoopingCall<[]> {
    const loop: LoopingCall<[]> = new LoopingCall(() => {
      const now = loop.#clock().seconds();
      const interval = loop.interval!;
      const start = loop.startTime!;
      if (interval === 0) {
        loop.#realLastTime = now;
        return countCallable(1);
      }
      // The first call counts from one interval before the start when it runs at the start.
      const last = loop.#realLastTime ?? (loop.#runAtStart ? start - interval : start);
      const count = ticksAt(start, interval, now) - ticksAt(start, interval, last);
      if (count <= 0) return undefined;
      loop.#realLastTime = now;
      return countCallable(count);
    });
    return loop;
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
    this.#runAtStart = now;
    this.#realLastTime = undefined;
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
    const delay = untilNextTick(this.startTime!, this.interval!, when);
    this.#call = this.#clock().callLater(delay, () => this.#runOnce());
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
