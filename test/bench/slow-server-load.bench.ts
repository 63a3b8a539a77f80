// Issue 3's load claim, measured in one run: the reactor slow server (3 KB poem, 30 bytes every
// 0.1 s) with 10,000 clients connecting at once. Every client must get the whole poem, and the
// 99th percentile of their times stay within 1.1x of a lone client's. Prints the figures.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { afterAll, bench, describe } from 'vitest';
import { once, ONCE } from './once';
import { poem } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 10_000);
const DELAY = 0.1;
const expected = readFileSync(poem('ecstasy')).length;
const report: string[] = [];

interface Fetch {
  seconds: number;
  bytes: number;
  error?: string;
}

/** One client: connects, reads to the end, and times it; never sends a byte. */
function fetch(port: number): Promise<Fetch> {
  const started = performance.now();
  return new Promise((resolve) => {
    let bytes = 0;
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('end', () => resolve({ seconds: (performance.now() - started) / 1000, bytes }));
    socket.on('error', (error) => resolve({ seconds: (performance.now() - started) / 1000, bytes, error: error.message }));
    // A stuck client (its handshake lost in a full queue) would hang: give up well after the poem.
    socket.setTimeout(60_000, () => socket.destroy(new Error('timed out')));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

afterAll(async () => {
  await stopAll();
  console.log(`\n${report.join('\n')}`);
});

describe('reactor slow server under load', () => {
  bench(
    `${CLIENTS} clients at once`,
    once(async () => {
      const server: Server = await startServer('slowpoetry', ['--reactor', '--quiet', '--delay', String(DELAY), '--num-bytes', '30', poem('ecstasy')]);
      const lone = await fetch(server.port);
      const results = await Promise.all(Array.from({ length: CLIENTS }, () => fetch(server.port)));
      await server.stop();
      const complete = results.filter((r) => r.bytes === expected && !r.error);
      const times = complete.map((r) => r.seconds).sort((a, b) => a - b);
      const errors = new Map<string, number>();
      for (const r of results) if (r.error) errors.set(r.error, (errors.get(r.error) ?? 0) + 1);
      report.push(
        `Slow server (reactor), ${CLIENTS} clients at once, ${expected}-byte poem, 30 bytes every ${DELAY} s`,
        `  complete poems:            ${complete.length} of ${CLIENTS}${errors.size ? `  (failures: ${[...errors].map(([e, n]) => `${n}x ${e}`).join(', ')})` : ''}`,
        `  lone client:               ${lone.seconds.toFixed(3)} s`,
        `  p50 / p99 / max:           ${percentile(times, 50).toFixed(3)} / ${percentile(times, 99).toFixed(3)} / ${times[times.length - 1].toFixed(3)} s`,
        `  p99 / lone client:         ${(percentile(times, 99) / lone.seconds).toFixed(3)}  (goal <= 1.1)`,
      );
    }),
    ONCE,
  );
});
