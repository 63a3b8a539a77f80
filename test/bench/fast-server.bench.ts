// Issue 3's throughput claim, measured in one run: poems per second from the fast poetry server
// with 50 clients in flight, ours beside Twisted's (when python3-twisted is installed), and a
// burst of 5,000 simultaneous connections. Prints the figures.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { afterAll, bench, describe } from 'vitest';
import { once, ONCE } from './once';
import { poem } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';
import { findTwistedPython, startTwisted } from '../helpers/twisted';

const FETCHES = Number(process.env.FAST_FETCHES ?? 20_000);
const IN_FLIGHT = 50;
const BURST = Number(process.env.FAST_BURST ?? 5_000);
const POEM = poem('science');
const expected = readFileSync(POEM).length;
const report: string[] = [];
const rates = new Map<string, number>();

// A fast poetry server on Twisted, written for this comparison: the poem, then close.
const TWISTED_SERVER = `
import sys
from twisted.internet import reactor
from twisted.internet.protocol import Protocol, ServerFactory
class Poetry(Protocol):
    def connectionMade(self):
        self.transport.write(self.factory.poem)
        self.transport.loseConnection()
factory = ServerFactory.forProtocol(Poetry)
factory.poem = open(sys.argv[1], 'rb').read()
port = reactor.listenTCP(0, factory, interface='127.0.0.1')
print('Serving %s on port %d.' % (sys.argv[1], port.getHost().port), flush=True)
reactor.run()
`;

const hasTwisted = findTwistedPython() !== undefined;

/** Fetches one poem; resolves with its size (-1 on error or timeout). */
function fetchOne(port: number): Promise<number> {
  return new Promise((resolve) => {
    let bytes = 0;
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('end', () => resolve(bytes));
    socket.on('error', () => resolve(-1));
    socket.setTimeout(20_000, () => {
      socket.destroy();
      resolve(-1);
    });
  });
}

/** Poems per second with `inFlight` clients at a time, and how many came back whole. */
async function throughput(port: number, total: number, inFlight: number): Promise<{ rate: number; whole: number }> {
  let started = 0;
  let whole = 0;
  const begin = performance.now();
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      if ((await fetchOne(port)) === expected) whole++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { rate: total / ((performance.now() - begin) / 1000), whole };
}

async function measure(name: string, start: () => Promise<Server>): Promise<void> {
  const server = await start();
  try {
    await throughput(server.port, 500, IN_FLIGHT); // warm-up
    const { rate, whole } = await throughput(server.port, FETCHES, IN_FLIGHT);
    rates.set(name, rate);
    const burst = await Promise.all(Array.from({ length: BURST }, () => fetchOne(server.port)));
    const served = burst.filter((bytes) => bytes === expected).length;
    report.push(`  ${name.padEnd(10)} ${rate.toFixed(0).padStart(7)} poems/s (${whole}/${FETCHES} whole)   burst of ${BURST}: ${served} served`);
  } finally {
    await server.stop();
  }
}

afterAll(async () => {
  await stopAll();
  const ours = rates.get('ours');
  const twisted = rates.get('Twisted');
  console.log(`\nFast poetry server, ${expected}-byte poem, ${IN_FLIGHT} clients in flight\n${report.join('\n')}`);
  if (ours && twisted) console.log(`  ours / Twisted: ${(ours / twisted).toFixed(2)}x  (goal >= 2)`);
  if (!hasTwisted) console.log('  Twisted: column left out, no Python with Twisted (apt-get install python3-twisted)');
});

describe('fast poetry server', () => {
  bench('ours (lib/cli/fastpoetry.ts)', once(() => measure('ours', () => startServer('fastpoetry', [POEM]))), ONCE);
  bench.skipIf(!hasTwisted)("Twisted's", once(() => measure('Twisted', () => startTwisted(TWISTED_SERVER, [POEM]))), ONCE);
});
