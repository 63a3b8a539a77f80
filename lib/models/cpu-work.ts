// Chapter 01: the CPU work a task's step does, a fixed amount of computation
// (tested in test/models/cpu-work.test.ts).
import { wallSeconds } from '../timing/stopwatch';

/**
 * Computes for `iterations` rounds of a tiny random-number generator and returns its last value
 * (returned so the engine cannot drop the loop). task-thread.js holds the same loop, so a worker
 * thread does the same work per iteration as this one.
 */
export function spin(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

// Iterations per second of an idle core, measured once per module load.
let rate: number | undefined;

/**
 * Measures how many `spin` iterations this machine does in a second on one core: the best of a
 * few 10 ms rounds, so a round slowed by the JIT warming up or by another program does not count.
 * @returns iterations per second.
 */
export function calibrate(): number {
  const chunk = 20_000;
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const start = wallSeconds();
    let done = 0;
    let elapsed = 0;
    while (elapsed < 0.01) {
      spin(chunk);
      done += chunk;
      elapsed = wallSeconds() - start;
    }
    best = Math.max(best, done / elapsed);
  }
  rate = best;
  return best;
}

/**
 * How many `spin` iterations take `seconds` on an idle core (calibrated on first use). That is an
 * amount of work, not of time: when threads share a core, the same iterations take longer.
 * @returns a whole number of iterations.
 * @throws TypeError when `seconds` is not a number >= 0.
 */
export function iterationsFor(seconds: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(`Expected \`seconds\` to be a number >= 0, got \`${seconds}\` (${typeof seconds})`);
  }
  return Math.round(seconds * (rate ?? calibrate()));
}
