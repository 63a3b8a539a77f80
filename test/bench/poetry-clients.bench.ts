// Chapter 02's claim, measured in one run: the blocking client takes the sum of the servers'
// schedules, the select-loop client only the slowest one, ours beside the Python originals (their
// servers and clients, same poems and schedule). Prints two tables: each client's total beside its
// ideal, and the ratio; then one chunk of the blocking server's loop step by step, ours beside
// Python's and beside the floor of a blocking send across threads in Node (see
// python-originals.ts), which is where the totals' excess comes from. POETRY_DELAY sets the
// servers' delay (0.03 s by default: short chunks show what each blocking call costs).
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { blockingClient, getPoetryBlocking } from '../../lib/blocking/index';
import { asyncClient } from '../../lib/select/index';
import { type Address, startIoWorker } from '../../lib/sockets/index';
import { formatElapsed, wallSeconds } from '../../lib/timing/index';
import { once, ONCE } from './once';
import { poem } from '../helpers/cli';
import { runProgram, type Server, startProgram, startServer, stopAll } from '../helpers/programs';
import { findTwistedPython } from '../helpers/twisted';
import { loadNote, printTable, type Row } from './peers';
import { FLOOR_LOOP, PYTHON_ORIGINALS } from './python-originals';

const DELAY = Number(process.env.POETRY_DELAY ?? 0.03);
const SERVERS = [
  { name: 'ecstasy', numBytes: 30 },
  { name: 'fascination', numBytes: 10 },
  { name: 'science', numBytes: 10 },
];
const quiet = { log: () => {} };
// Chunks of the step-by-step loop: 3 s at 0.03 s.
const CHUNKS = 100;
// Any Python 3 runs the originals; the one that has Twisted is the one the other benchmarks use.
const PYTHON = findTwistedPython() ?? 'python3';

let servers: Server[] = [];
let addresses: Address[] = [];
const measured: Record<string, number> = {};
const chunkSteps: Array<{ program: string; print: number; sendall: number; late: number }> = [];

/** Runs a program to its end and returns the JSON line it printed last on `stream`. */
async function measure(command: string, args: string[], stream: 'stdout' | 'stderr'): Promise<Record<string, number>> {
  const run = await runProgram(command, args, { seconds: 60 });
  const last = run[stream].trim().split('\n').pop() ?? '';
  if (run.code !== 0 || !last.startsWith('{')) {
    // The arguments without a script given inline (-c, -e): the program and what it was asked.
    const asked = args.filter((arg) => !arg.includes('\n')).join(' ');
    throw new Error(`${command} ${asked} failed (${run.code ?? run.signal}): ${run.stderr.slice(-500)}`);
  }
  return JSON.parse(last) as Record<string, number>;
}

/** Runs one chunk loop against a reader that discards what it gets; returns its medians. */
async function chunkLoop(command: string, args: (port: number) => string[]): Promise<{ print: number; sendall: number; late: number }> {
  const reader = net.createServer((socket) => socket.resume().on('error', () => {}));
  await new Promise<void>((resolve) => reader.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = reader.address() as net.AddressInfo;
    const { print, sendall, late } = await measure(command, args(port), 'stderr');
    return { print, sendall, late };
  } finally {
    reader.close();
  }
}

beforeAll(async () => {
  servers = await Promise.all(
    SERVERS.map(({ name, numBytes }) => startServer('slowpoetry', ['--delay', String(DELAY), '--num-bytes', String(numBytes), poem(name)])),
  );
  addresses = servers.map((s) => ['127.0.0.1', s.port] as const);
  startIoWorker(); // not inside the first timed fetch
}, 60_000);

afterAll(async () => {
  await stopAll();
  const scheduled = SERVERS.map(({ name, numBytes }) => Math.ceil(readFileSync(poem(name)).length / numBytes) * DELAY);
  const alone = SERVERS.map((_, i) => measured[`alone ${i}`]);
  const sum = alone.reduce((a, b) => a + b, 0);
  const slowest = Math.max(...alone);
  const sumScheduled = scheduled.reduce((a, b) => a + b, 0);
  const slowestScheduled = Math.max(...scheduled);
  const row = (program: string, total: number, ideal: number, which: string): Row => ({
    program,
    total: formatElapsed(total),
    ideal: `${formatElapsed(ideal)}${which}`,
    'total / ideal': (total / ideal).toFixed(4),
  });
  const rows = [
    ...SERVERS.map(({ name }, i) => row(`ours: blocking fetch, server ${name} alone`, alone[i], scheduled[i], '')),
    row('ours: blocking client, all three', measured.blocking, sumScheduled, ' (sum)'),
    row('ours: async client, all three', measured.async, slowestScheduled, ' (slowest)'),
    row('Python originals: blocking client, all three', measured.pythonBlocking, sumScheduled, ' (sum)'),
    row('Python originals: async client, all three', measured.pythonAsync, slowestScheduled, ' (slowest)'),
  ];
  printTable(`Chapter 02 clients at delay ${DELAY} s: each total beside the servers' schedules`, rows, [
    `measured alone, our servers took ${formatElapsed(sum)} in sum, ${formatElapsed(slowest)} the slowest`,
    'goal: both of ours within 1.5% of their ideal',
    loadNote(),
  ]);
  const us = (value: number): number => Number(value.toFixed(0));
  printTable(
    `One chunk of the blocking server's loop at delay ${DELAY} s, ${CHUNKS} chunks each: median microseconds of each step`,
    chunkSteps.map(({ program, print, sendall, late }) => ({
      program,
      'print the line': us(print),
      sendall: us(sendall),
      'sleep: late by': us(late),
      'per chunk': us(print + sendall + late),
      'of the delay': `${((print + sendall + late) / (DELAY * 1e4)).toFixed(1)}%`,
    })),
    [
      'each step right after a sleep: a thread idle for the delay runs its next steps slower (cold caches, an idle core woken),',
      'and ours crosses twice between threads where Python makes one system call; the floor is a worker that never sleeps',
      loadNote(),
    ],
  );
});

describe('chapter 02: blocking vs select-loop client', () => {
  bench(
    'each server alone (blocking fetch)',
    once(() => {
      addresses.forEach((address, i) => {
        const start = wallSeconds();
        getPoetryBlocking(address);
        measured[`alone ${i}`] = wallSeconds() - start;
      });
    }),
    ONCE,
  );

  bench(
    'blocking client, all three',
    once(() => {
      measured.blocking = blockingClient(addresses, quiet).elapsed;
    }),
    ONCE,
  );

  bench(
    'async client, all three',
    once(async () => {
      measured.async = (await asyncClient(addresses, quiet)).elapsed;
    }),
    ONCE,
  );

  bench(
    'the Python originals, servers and clients',
    once(async () => {
      const python = await Promise.all(
        SERVERS.map(({ name, numBytes }) => startProgram(PYTHON, ['-u', '-c', PYTHON_ORIGINALS, 'serve', poem(name), String(DELAY), String(numBytes)])),
      );
      const ports = python.map((server) => String(server.port));
      try {
        measured.pythonBlocking = (await measure(PYTHON, ['-c', PYTHON_ORIGINALS, 'blocking', ...ports], 'stdout')).elapsed;
        measured.pythonAsync = (await measure(PYTHON, ['-c', PYTHON_ORIGINALS, 'async', ...ports], 'stdout')).elapsed;
      } finally {
        await Promise.all(python.map((server) => server.stop()));
      }
    }),
    ONCE,
  );

  bench(
    "one chunk of the blocking server's loop, step by step",
    once(async () => {
      const args = (port: number): string[] => [String(port), String(DELAY), String(CHUNKS)];
      chunkSteps.push({ program: 'ours', ...(await chunkLoop(process.execPath, (port) => ['--import', 'tsx', 'test/bench/chunk-loop.ts', ...args(port)])) });
      chunkSteps.push({ program: 'Python original', ...(await chunkLoop(PYTHON, (port) => ['-u', '-c', PYTHON_ORIGINALS, 'chunks', ...args(port)])) });
      chunkSteps.push({ program: 'floor: a worker that never sleeps', ...(await chunkLoop(process.execPath, (port) => ['-e', FLOOR_LOOP, '--', ...args(port)])) });
    }),
    ONCE,
  );
});
