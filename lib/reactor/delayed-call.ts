// Chapter 03 (the reactor: callLater). Tests: test/reactor/clock.test.ts.
import { AlreadyCalled, AlreadyCancelled } from './errors';
import type { IDelayedCall } from './interfaces';

/**
 * What schedules a DelayedCall (`Clock`, a reactor): the call tells it about changes, and the
 * owner keeps its queue in order and runs the call with `run()` when its time comes.
 */
export interface DelayedCallOwner {
  /** @returns the owner's current time, in seconds. */
  seconds(): number;
  /** The call is being cancelled: drop it from the queue. */
  cancelled(call: DelayedCall): void;
  /** The call's time changed from `previousTime` to `call.getTime()`: move it in the queue. */
  rescheduled(call: DelayedCall, previousTime: number): void;
}

/**
 * A call scheduled by `callLater`, as Twisted's `twisted.internet.base.DelayedCall`.
 * Implements IDelayedCall (see there for the contract).
 */
export class DelayedCall implements IDelayedCall {
  #time: number;
  #fn: ((...args: never[]) => unknown) | undefined; // dropped once run or cancelled
  #args: unknown[];
  #called = false;
  #cancelled = false;
  readonly #owner: DelayedCallOwner;

  /**
   * For owners: `callLater` creates these.
   * @param time - when to run, on the owner's clock (absolute seconds).
   * @param fn - what to call, with `args`.
   * @param owner - the scheduler, told of cancels and reschedules.
   */
  constructor(time: number, fn: (...args: never[]) => unknown, args: unknown[], owner: DelayedCallOwner) {
    this.#time = time;
    this.#fn = fn;
    this.#args = args;
    this.#owner = owner;
  }

  /** Whether the call has run (or is running). */
  get called(): boolean {
    return this.#called;
  }

  /** Whether the call was cancelled. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** See IDelayedCall.getTime. */
  getTime(): number {
    return this.#time;
  }

  /** See IDelayedCall.active. */
  active(): boolean {
    return !(this.#called || this.#cancelled);
  }

  /**
   * See IDelayedCall.cancel.
   * @throws AlreadyCancelled, AlreadyCalled.
   */
  cancel(): void {
    this.#checkActive();
    this.#owner.cancelled(this);
    this.#cancelled = true;
    this.#release();
  }

  /**
   * See IDelayedCall.reset.
   * @throws AlreadyCancelled, AlreadyCalled, TypeError for a negative `secondsFromNow`.
   */
  reset(secondsFromNow: number): void {
    checkSeconds('secondsFromNow', secondsFromNow);
    this.#checkActive();
    this.#moveTo(this.#owner.seconds() + secondsFromNow);
  }

  /**
   * See IDelayedCall.delay.
   * @throws AlreadyCancelled, AlreadyCalled, TypeError when `secondsLater` is not a finite number.
   */
  delay(secondsLater: number): void {
    if (!Number.isFinite(secondsLater)) {
      const got = `\`${String(secondsLater)}\` (${typeof secondsLater})`;
      throw new TypeError(`Expected \`secondsLater\` to be a finite number, got ${got}`);
    }
    this.#checkActive();
    this.#moveTo(this.#time + secondsLater);
  }

  /**
   * For owners: mark the call as made, then call its function (so the function sees
   * `active() === false`, and cancelling it from inside throws AlreadyCalled).
   * @returns what the function returns.
   * @throws AlreadyCancelled, AlreadyCalled if it is not active; whatever the function throws.
   */
  run(): unknown {
    this.#checkActive();
    const fn = this.#fn as (...args: unknown[]) => unknown;
    const args = this.#args;
    this.#called = true;
    this.#release();
    return fn(...args);
  }

  /** @returns e.g. `<DelayedCall [1.5s] called=false cancelled=false tick>`. */
  toString(): string {
    const name = this.#fn?.name ? ` ${this.#fn.name}` : '';
    const left = this.#time - this.#owner.seconds();
    return `<DelayedCall [${left}s] called=${this.#called} cancelled=${this.#cancelled}${name}>`;
  }

  #checkActive(): void {
    if (this.#cancelled) throw new AlreadyCancelled('This delayed call was cancelled already');
    if (this.#called) throw new AlreadyCalled('This delayed call has run already');
  }

  #moveTo(time: number): void {
    const previous = this.#time;
    this.#time = time;
    if (time !== previous) this.#owner.rescheduled(this, previous);
  }

  // A finished call keeps no references to the function and its arguments.
  #release(): void {
    this.#fn = undefined;
    this.#args = [];
  }
}

/**
 * Check a duration argument.
 * @throws TypeError "Expected `name` to be a number >= 0, got `-1` (number)" when it is not.
 */
export function checkSeconds(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new TypeError(`Expected \`${name}\` to be a number >= 0, got \`${String(value)}\` (${typeof value})`);
  }
}
