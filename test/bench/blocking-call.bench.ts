// Issue 12's blocking call goal, measured in one run: the round trip of one blocking socket call
// to the I/O worker over shared memory (request and reply in a SharedArrayBuffer, Atomics.wait and
// Atomics.notify both ways), beside the postMessage round trip it replaced (a worker that answers
// each message, the caller parked in Atomics.wait until the reply is posted). Prints one table of
// medians and 99th percentiles in microseconds. Size: CALLS (20,000).
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { afterAll, bench, describe } from 'vitest';
import { ioChannel, startIoWorker } from '../../lib/sockets/io-channel';
import { BlockingServerSocket, BlockingSocket } from '../../lib/sockets/index';
import { once, ONCE } from './once';
import { loadNote, printTable, ratio } from './peers';

const CALLS = Number(process.env.CALLS ?? 20_000);
const rows: Array<{ program: string; median: number; p99: number }> = [];

/** Median and 99th percentile of `run`'s duration over CALLS calls, in microseconds. */
function time(run: () => void): { median: number; p99: number } {
  const us: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    run();
    us.push((performance.now() - start) * 1000);
  }
  us.sort((a, b) => a - b);
  return { median: us[Math.floor(us.length / 2)], p99: us[Math.floor(us.length * 0.99)] };
}

// The old line to the worker: a message each way, the caller parked on a shared flag.
const POSTMESSAGE_WORKER = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.signal);
workerData.port.on('message', (message) => {
  workerData.port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

function postMessageRoundTrip(): { median: number; p99: number; stop: () => Promise<number> } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(POSTMESSAGE_WORKER, { eval: true, workerData: { port: port2, signal: flag.buffer }, transferList: [port2] });
  const call = (): unknown => {
    Atomics.store(flag, 0, 0);
    port1.postMessage({ op: 'ping' });
    while (Atomics.load(flag, 0) !== 1) Atomics.wait(flag, 0, 0); // a late notify of the last reply may wake it
    return receiveMessageOnPort(port1)?.message;
  };
  call(); // the worker is up
  return { ...time(call), stop: () => worker.terminate() };
}

afterAll(() => {
  const ours = rows[0]?.median;
  printTable(
    `One blocking call's round trip to the I/O worker, ${CALLS} calls each, microseconds`,
    rows.map((row) => ({ program: row.program, median: Number(row.median.toFixed(1)), p99: Number(row.p99.toFixed(1)), 'ours / this (median)': ratio(ours, row.median) })),
    ['goal: median <= 50 us', loadNote()],
  );
});

describe('blocking calls', () => {
  bench(
    'round trips',
    once(async () => {
      startIoWorker();
      rows.push({ program: 'ours: ping over shared memory', ...time(() => ioChannel().call('ping')) });
      const server = BlockingServerSocket.listen('127.0.0.1', 0);
      const client = BlockingSocket.connect('127.0.0.1', server.getsockname()[1]);
      const [accepted] = server.accept();
      rows.push({ program: 'ours: sendall 10 bytes', ...time(() => client.sendall('0123456789')) });
      // Everything sent has arrived by now or soon: each recv takes what is there.
      rows.push({ program: 'ours: recv(10) of bytes arrived', ...time(() => accepted.recv(10)) });
      for (const sock of [client, accepted, server]) sock.close();
      const old = postMessageRoundTrip();
      rows.push({ program: 'postMessage both ways (the old line)', median: old.median, p99: old.p99 });
      await old.stop();
    }),
    ONCE,
  );
});
