// Chapter 01: the tutorial's "blocking" figure, a synchronous program that mostly waits
// (tested in test/models/blocking.test.ts).
import { type ModelOptions, type ModelRun, modelParameters } from './options';
import { runSynchronous } from './synchronous';

/** How many times longer than its work a step waits in `runBlocking` unless told otherwise. */
export const BLOCKING_WAIT_RATIO = 3;

/**
 * Runs the synchronous model with steps that wait: every wait blocks the only thread, so the
 * program sits idle for most of its run while other tasks could have used the CPU.
 * @param options - as `runSynchronous`; `wait` defaults to `BLOCKING_WAIT_RATIO` times `work`.
 * @returns the timeline of the run (the waits drawn) and its elapsed seconds.
 * @throws TypeError when an option is out of range, or `wait` is 0 (nothing would block).
 */
export function runBlocking(options: ModelOptions = {}): ModelRun {
  const parameters = modelParameters(options);
  const wait = options.wait ?? BLOCKING_WAIT_RATIO * parameters.work;
  if (wait === 0) throw new TypeError('Expected `wait` to be a number > 0, got `0` (number)');
  return runSynchronous({ ...parameters, wait });
}
