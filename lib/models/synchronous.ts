// Chapter 01: the synchronous model, one task after another in one thread
// (tested in test/models/synchronous.test.ts).
import { sleep } from '../sockets/sleep';
import { Timeline } from '../timing/timeline';
import { iterationsFor, spin } from './cpu-work';
import { MAIN_THREAD, type ModelOptions, type ModelRun, modelParameters, taskNames } from './options';

/**
 * Runs the tasks synchronously: each task runs all its steps before the next one starts, in this
 * thread. A step's wait blocks the thread (`sleep`), so nothing else runs meanwhile.
 * @param options - tasks, steps, and the `work` and `wait` seconds of each step.
 * @returns the timeline of the run (every span in the `main thread` lane) and its elapsed seconds.
 * @throws TypeError when an option is out of range.
 */
export function runSynchronous(options: ModelOptions = {}): ModelRun {
  const { tasks, steps, work, wait } = modelParameters(options);
  // Measured before the clock starts: the first call calibrates.
  const iterations = iterationsFor(work);
  const timeline = new Timeline();
  for (const task of taskNames(tasks)) {
    for (let step = 0; step < steps; step++) {
      timeline.record(task, 'run', () => spin(iterations), { lane: MAIN_THREAD });
      if (wait > 0) timeline.record(task, 'wait', () => sleep(wait), { lane: MAIN_THREAD });
    }
  }
  return { timeline, elapsed: timeline.now() };
}
