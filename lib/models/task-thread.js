// Chapter 01: one task of the threaded model, run in its own worker thread
// (tested in test/models/threaded.test.ts; started by threaded.ts).
//
// Plain JavaScript on purpose: a worker is started by Node itself, outside tsx, vitest and
// tslab, so it cannot be TypeScript. `spin` and `wallSeconds` repeat cpu-work.ts and
// timing/stopwatch.ts to the letter, so this thread works and measures as the main one does.
'use strict';

const { parentPort, workerData } = require('node:worker_threads');

/** The same loop as cpu-work.ts `spin`. */
function spin(iterations) {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/** The same clock as timing/stopwatch.ts `wallSeconds`: seconds since the epoch, comparable across threads. */
function wallSeconds() {
  return (performance.timeOrigin + performance.now()) / 1000;
}

// A word nobody ever changes: waiting on it blocks this thread for the whole timeout.
const parked = new Int32Array(new SharedArrayBuffer(4));

const { steps, iterations, wait } = workerData;
const spans = [];
for (let step = 0; step < steps; step++) {
  const start = wallSeconds();
  spin(iterations);
  const worked = wallSeconds();
  spans.push({ kind: 'run', start, end: worked });
  if (wait > 0) {
    Atomics.wait(parked, 0, 0, wait * 1000);
    spans.push({ kind: 'wait', start: worked, end: wallSeconds() });
  }
}
// The spans go back in one message; then nothing is left to run and the thread exits.
parentPort.postMessage(spans);
