// Chapter 01: the threaded model, each task in its own worker thread
// (tested in test/models/threaded.test.ts).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Timeline } from '../timing/timeline';
import { iterationsFor } from './cpu-work';
import { type ModelOptions, type ModelRun, modelParameters, taskNames } from './options';

/** A span as task-thread.js reports it, in absolute `wallSeconds`. */
interface ThreadSpan {
  kind: 'run' | 'wait';
  start: number;
  end: number;
}

/** The worker's code: plain JavaScript, since Node (not tsx, vitest or tslab) loads it. */
const TASK_THREAD = path.join(__dirname, 'task-thread.js');

/** Runs one task in a new worker thread and resolves with its spans once the thread has exited. */
function runInThread(task: string, workerData: { steps: number; iterations: number; wait: number }): Promise<ThreadSpan[]> {
  return new Promise((resolve, reject) => {
    // No execArgv: the thread runs plain JavaScript and needs none of the parent's loaders.
    const worker = new Worker(TASK_THREAD, { workerData, execArgv: [] });
    let spans: ThreadSpan[] | undefined;
    let failure: Error | undefined;
    worker.once('message', (message: ThreadSpan[]) => (spans = message));
    worker.once('error', (error) => (failure = error));
    // Settle only on exit, so that no thread outlives the run, whatever happened.
    worker.once('exit', (code) => {
      if (spans !== undefined && code === 0) resolve(spans);
      else reject(failure ?? new Error(`the thread of ${task} exited with code ${code} before reporting`));
    });
  });
}

/**
 * Runs the tasks threaded: each task in its own worker thread, all at once. The operating system
 * shares the machine's cores among the threads (with more threads than cores, their work takes
 * turns); a step's wait blocks its own thread only.
 * @param options - tasks, steps, and the `work` and `wait` seconds of each step.
 * @returns the timeline of the run (a lane per thread: `thread 1` runs `task 1`...) and its
 *   elapsed seconds, starting threads included. Every thread has exited when it resolves.
 * @throws TypeError when an option is out of range.
 * @throws Error (rejects) when a thread fails.
 */
export async function runThreaded(options: ModelOptions = {}): Promise<ModelRun> {
  const { tasks, steps, work, wait } = modelParameters(options);
  // Measured before the clock starts: the first call calibrates.
  const iterations = iterationsFor(work);
  const timeline = new Timeline();
  const names = taskNames(tasks);
  const settled = await Promise.allSettled(names.map((task) => runInThread(task, { steps, iterations, wait })));
  const elapsed = timeline.now();
  settled.forEach((result, i) => {
    if (result.status === 'rejected') throw result.reason;
    for (const span of result.value) timeline.addSpan(names[i], span.kind, span.start, span.end, { lane: `thread ${i + 1}` });
  });
  return { timeline, elapsed };
}
