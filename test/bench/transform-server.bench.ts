// Issue 5's performance check, measured in one run: the transform server (lib/cli/transformedpoetry.ts,
// its own process) with 1,000 clients in flight, each sending the 3 KB poem (ecstasy) to be
// cummingsified; every reply must be complete and correct. Prints transforms per second beside
// the same transform called in-process, and their ratio: the protocol's overhead.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { afterAll, bench, describe, expect } from 'vitest';
import { cummingsify } from '../../lib/poetry/transform/transforms';
import { poem } from '../helpers/cli';
import { startServer, stopAll } from '../helpers/programs';
import { once, ONCE } from './once';
import { loadNote, printTable, ratio, type Row } from './peers';

const IN_FLIGHT = 1_000;
const TOTAL = Number(process.env.TRANSFORM_REQUESTS ?? 10_000);
const POEM = readFileSync(poem('ecstasy'), 'utf8');
const netstring = (payload: string): Buffer => {
  const bytes = Buffer.from(payload);
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
};
const REQUEST = netstring(`cummingsify.${POEM}`);
const EXPECTED = netstring(POEM.toLowerCase());
const rows: Row[] = [];

/** One request on its own connection; resolves with whether the reply was exactly right. */
function transformOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket: net.Socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(REQUEST));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).equals(EXPECTED)));
    socket.on('error', () => resolve(false));
    socket.setTimeout(60_000, () => socket.destroy());
  });
}

/** `total` requests, `inFlight` at a time: transforms per second and how many replies were right. */
async function throughput(port: number, total: number, inFlight: number): Promise<{ rate: number; correct: number }> {
  let started = 0;
  let correct = 0;
  const begin = performance.now();
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      if (await transformOnce(port)) correct++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { rate: total / ((performance.now() - begin) / 1000), correct };
}

/** The same transform, called in-process on the same poem: transforms per second. */
function inProcessRate(): number {
  const n = 20_000;
  let bytes = 0;
  const begin = performance.now();
  for (let i = 0; i < n; i++) bytes += cummingsify(POEM).length;
  const seconds = (performance.now() - begin) / 1000;
  if (bytes !== n * POEM.length) throw new Error('cummingsify changed the length');
  return n / seconds;
}

const scenario = once(async () => {
  const server = await startServer('transformedpoetry', []);
  await throughput(server.port, 1_000, 100); // warm-up
  const { rate, correct } = await throughput(server.port, TOTAL, IN_FLIGHT);
  await server.stop();
  expect(correct, 'replies complete and correct').toBe(TOTAL);
  const baseline = inProcessRate();
  rows.push(
    { program: 'ours: transform server over TCP', 'transforms/s': Math.round(rate), replies: `${correct} of ${TOTAL} complete and correct`, 'ours / this': '1.00' },
    { program: 'cummingsify called in-process', 'transforms/s': Math.round(baseline), replies: '-', 'ours / this': ratio(rate, baseline, 4) },
  );
});

describe('transform server', () => {
  bench(`${IN_FLIGHT} clients in flight, 3 KB poem each`, scenario, ONCE);
});

afterAll(async () => {
  await stopAll();
  printTable(`Transform server, ${IN_FLIGHT} clients in flight, ${TOTAL} requests of ${REQUEST.length} bytes`, rows, [
    'in-process / over TCP is the cost of a connection, netstrings and the reactor per transform',
    loadNote(),
  ]);
});
