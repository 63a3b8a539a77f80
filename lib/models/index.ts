// Chapter 01: the three programming models (synchronous, threaded, asynchronous) and the blocking
// figure, each running the same tasks into a Timeline (tested in test/models/*.test.ts).
export { runAsynchronous } from './asynchronous';
export { BLOCKING_WAIT_RATIO, runBlocking } from './blocking';
export { calibrate, iterationsFor, spin } from './cpu-work';
export { MAIN_THREAD, MAX_TASKS, type ModelOptions, type ModelParameters, type ModelRun, modelParameters, taskNames } from './options';
export { runSynchronous } from './synchronous';
export { runThreaded } from './threaded';
