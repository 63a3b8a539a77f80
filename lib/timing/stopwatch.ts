// Chapter 01: measuring elapsed time (tested in test/timing/stopwatch.test.ts).
import { formatElapsed } from './format-elapsed';

/** A source of time in seconds. The real one is `wallSeconds`; tests pass a Clock's `seconds`. */
export type Seconds = () => number;

/**
 * Seconds since a fixed point, with sub-millisecond precision, comparable across worker threads
 * (it counts from the epoch, not from this thread's start).
 */
export const wallSeconds: Seconds = () => (performance.timeOrigin + performance.now()) / 1000;

/** Measures the time since it was started (or last restarted). */
export class Stopwatch {
  readonly #now: Seconds;
  #start: number;

  constructor(now: Seconds = wallSeconds) {
    this.#now = now;
    this.#start = now();
  }

  /** Seconds since the start. */
  elapsed(): number {
    return this.#now() - this.#start;
  }

  /** Starts counting again from now and returns the seconds counted until now. */
  restart(): number {
    const now = this.#now();
    const elapsed = now - this.#start;
    this.#start = now;
    return elapsed;
  }

  /** The elapsed time as Python prints a timedelta: `0:00:10.126361`. */
  toString(): string {
    return formatElapsed(Math.max(0, this.elapsed()));
  }
}
