// Chapter 02's claim, measured in one run: the blocking client takes the sum of the servers'
// schedules, the select-loop client only the slowest one. Prints one table: each client's total
// beside its ideal, and the ratio. POETRY_DELAY sets the servers' delay (0.03 s by default:
// short chunks show what each blocking call costs).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { blockingClient, getPoetryBlocking } from '../../lib/blocking/index';
import { asyncClient } from '../../lib/select/index';
import { type Address, startIoWorker } from '../../lib/sockets/index';
import { formatElapsed, wallSeconds } from '../../lib/timing/index';
import { once, ONCE } from './once';
import { poem } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';
import { loadNote, printTable } from './peers';

const DELAY = Number(process.env.POETRY_DELAY ?? 0.03);
const SERVERS = [
  { name: 'ecstasy', numBytes: 30 },
  { name: 'fascination', numBytes: 10 },
  { name: 'science', numBytes: 10 },
];
const quiet = { log: () => {} };

let servers: Server[] = [];
let addresses: Address[] = [];
const measured: Record<string, number> = {};

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
  const rows = [
    ...SERVERS.map(({ name }, i) => ({ program: `blocking fetch, server ${name} alone`, total: formatElapsed(alone[i]), ideal: formatElapsed(scheduled[i]), 'total / ideal': (alone[i] / scheduled[i]).toFixed(4) })),
    { program: 'blocking client, all three', total: formatElapsed(measured.blocking), ideal: `${formatElapsed(sumScheduled)} (sum)`, 'total / ideal': (measured.blocking / sumScheduled).toFixed(4) },
    { program: 'async client, all three', total: formatElapsed(measured.async), ideal: `${formatElapsed(slowestScheduled)} (slowest)`, 'total / ideal': (measured.async / slowestScheduled).toFixed(4) },
  ];
  printTable(`Chapter 02 clients at delay ${DELAY} s: each total beside the servers' schedules`, rows, [
    `measured alone, the servers took ${formatElapsed(sum)} in sum, ${formatElapsed(slowest)} the slowest`,
    'goal: both clients within 1.5% of their ideal (the Python originals reach 1.2% here)',
    loadNote(),
  ]);
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
});
