// Chapter 01: the asynchronous model, the tasks' steps interleaved in one thread
// (tested in test/models/asynchronous.test.ts).
import { setImmediate as nextTurn, setTimeout as timer } from 'node:timers/promises';
import { wallSeconds } from '../timing/stopwatch';
import { Timeline } from '../timing/timeline';
import { iterationsFor, spin } from './cpu-work';
import { MAIN_THREAD, type ModelOptions, type ModelRun, modelParameters, taskNames } from './options';

/**
 * Runs the tasks asynchronously: all of them in this one thread, each step a turn of the event
 * loop. After its work a task hands control back (`await`): to wait, it sets a timer and the
 * other tasks' steps run until the timer fires; with nothing to wait for, it lets the others
 * have their turn first. No thread ever blocks.
 * @param options - tasks, steps, and the `work` and `wait` seconds of each step.
 * @returns the timeline of the run and its elapsed seconds. Work is in the `main thread` lane;
 *   a wait blocks no thread, so it is drawn in a lane of its own (`task 1 waiting`).
 * @throws TypeError when an option is out of range.
 */
export async function runAsynchronous(options: ModelOptions = {}): Promise<ModelRun> {
  const { tasks, steps, work, wait } = modelParameters(options);
  // Measured before the clock starts: the first call calibrates.
  const iterations = iterationsFor(work);
  const timeline = new Timeline();
  const runTask = async (task: string): Promise<void> => {
    for (let step = 0; step < steps; step++) {
      timeline.record(task, 'run', () => spin(iterations), { lane: MAIN_THREAD });
      if (wait > 0) {
        const start = wallSeconds();
        await timer(wait * 1000);
        timeline.addSpan(task, 'wait', start, wallSeconds(), { lane: `${task} waiting` });
      } else {
        await nextTurn();
      }
    }
  };
  await Promise.all(taskNames(tasks).map(runTask));
  return { timeline, elapsed: timeline.now() };
}
