// Chapter 15 (testing with a deterministic clock). Tests: test/reactor/clock.test.ts.
import { checkSeconds, DelayedCall } from './delayed-call';
import type { DelayedCallOwner } from './delayed-call';
import type { IReactorTime } from './interfaces';

/**
 * A test double for the reactor's time, as Twisted's `twisted.internet.task.Clock`: time starts
 * at 0 and moves only when `advance` or `pump` is called, so timed code runs the same way and
 * prints the same thing on every run. Implements IReactorTime (see there for the contract).
 *
 * Differences from Twisted's, on purpose: a negative delay or advance throws a TypeError
 * (Twisted's Clock would schedule in the past or move time backwards), and `getDelayedCalls`
 * returns a copy, not the live queue.
 */
export class Clock implements IReactorTime {
  #now = 0;
  // Pending calls by time; calls due at the same time keep their scheduling order.
  readonly #calls: DelayedCall[] = [];
  readonly #owner: DelayedCallOwner = {
    seconds: () => this.#now,
    cancelled: (call) => {
      this.#calls.splice(this.#calls.indexOf(call), 1);
    },
    rescheduled: (call, previousTime) => {
      this.#calls.splice(this.#calls.indexOf(call), 1);
      // Where Twisted's stable re-sort puts it: moved earlier, after the calls already due
      // then; moved later, before them.
      this.#insert(call, call.getTime() < previousTime);
    },
  };

  /** See IReactorTime.seconds. @returns the clock's time, 0 at creation. */
  seconds(): number {
    return this.#now;
  }

  /**
   * See IReactorTime.callLater.
   * @returns the scheduled DelayedCall.
   * @throws TypeError when `seconds` is negative or not a number.
   */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, ...args: A): DelayedCall {
    checkSeconds('seconds', seconds);
    const call = new DelayedCall(this.#now + seconds, fn as (...args: never[]) => unknown, args, this.#owner);
    this.#insert(call, true);
    return call;
  }

  /** See IReactorTime.getDelayedCalls. @returns the pending calls in the order they will run. */
  getDelayedCalls(): DelayedCall[] {
    return [...this.#calls];
  }

  /**
   * Move time forward and run every call that is due, in time order. A call scheduled by one
   * of them that is due too (`callLater(0, ...)`) runs in the same advance, as in Twisted.
   * @param seconds - how far to move, >= 0.
   * @throws TypeError when `seconds` is negative; whatever a call throws, as Twisted's Clock
   *   does: that call is done, the calls after it stay pending (the next `advance(0)` runs them).
   */
  advance(seconds: number): void {
    checkSeconds('seconds', seconds);
    this.#now += seconds;
    const calls = this.#calls;
    while (calls.length > 0 && calls[0].getTime() <= this.#now) {
      calls.shift()!.run();
    }
  }

  /**
   * Advance by each amount in turn, running the calls due after each step.
   * @param timings - the amounts, in seconds.
   * @throws as `advance`.
   */
  pump(timings: Iterable<number>): void {
    for (const seconds of timings) this.advance(seconds);
  }

  // Binary search for the first call later than `call` (or, with afterEqual false, the first
  // call at the same time or later), and insert there.
  #insert(call: DelayedCall, afterEqual: boolean): void {
    const calls = this.#calls;
    const time = call.getTime();
    let low = 0;
    let high = calls.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = calls[middle].getTime();
      if (other < time || (afterEqual && other === time)) low = middle + 1;
      else high = middle;
    }
    calls.splice(low, 0, call);
  }
}
