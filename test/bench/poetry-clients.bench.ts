// Chapter 02's claim, measured at the defaults in one run: the blocking client takes the sum of
// the servers' times, the select-loop client only the slowest one. Prints the ratios.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { blockingClient, getPoetryBlocking } from '../../lib/blocking/index';
import { asyncClient } from '../../lib/select/index';
import type { Address } from '../../lib/sockets/index';
import { formatElapsed, wallSeconds } from '../../lib/timing/index';
import { once, ONCE } from './once';
import { poem } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';

const DELAY = 0.1;
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
}, 60_000);

afterAll(async () => {
  await stopAll();
  const scheduled = SERVERS.map(({ name, numBytes }) => Math.ceil(readFileSync(poem(name)).length / numBytes) * DELAY);
  const alone = SERVERS.map((_, i) => measured[`alone ${i}`]);
  const sum = alone.reduce((a, b) => a + b, 0);
  const slowest = Math.max(...alone);
  const rows: Array<[string, string, string]> = [
    ...SERVERS.map(({ name }, i): [string, string, string] => [`server ${name} alone`, formatElapsed(alone[i]), `schedule ${formatElapsed(scheduled[i])}`]),
    ['blocking client', formatElapsed(measured.blocking), `/ sum of servers alone = ${(measured.blocking / sum).toFixed(4)}`],
    ['async client', formatElapsed(measured.async), `/ slowest server alone = ${(measured.async / slowest).toFixed(4)}`],
  ];
  console.log(`\nChapter 02 at delay ${DELAY} s (goal: both ratios within 1% of 1.0)`);
  for (const row of rows) console.log(`  ${row[0].padEnd(28)} ${row[1].padEnd(16)} ${row[2]}`);
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
