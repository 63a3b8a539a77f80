// Issue 12's fast server goal, measured in one run: poems per second from fast poetry servers
// (the whole poem, then close) with 50 clients in flight, the clients being the C load generator
// (cheap beside the server). Ours beside bare Node (`net.createServer(s => s.end(poem))`, the part
// we cannot go below), Twisted, and the C server (the machine's limit), in interleaved rounds so
// that a noisy moment hits all of them; the median round of each. Then a burst of 5,000 clients
// at once. Sizes: FAST_FETCHES (20,000 per round), FAST_ROUNDS (3), FAST_BURST (5,000).
import { readFileSync } from 'node:fs';
import { afterAll, bench, describe } from 'vitest';
import { poem } from '../helpers/cli';
import { type Server, startProgram, startServer, stopAll } from '../helpers/programs';
import { findTwistedPython, startTwisted } from '../helpers/twisted';
import { once, ONCE } from './once';
import { cTool, loadNote, NO_C_TOOLS, printTable, ratio, removeTools, runLoad, startNode } from './peers';

const FETCHES = Number(process.env.FAST_FETCHES ?? 20_000);
const ROUNDS = Number(process.env.FAST_ROUNDS ?? 3);
const BURST = Number(process.env.FAST_BURST ?? 5_000);
const IN_FLIGHT = 50;
const POEM = poem('science');
const expected = readFileSync(POEM).length;

// A fast poetry server on Twisted: the poem, then close.
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
port = reactor.listenTCP(0, factory, backlog=4096, interface='127.0.0.1')
print('Serving %s on port %d.' % (sys.argv[1], port.getHost().port), flush=True)
reactor.run()
`;

const NODE_SERVER = `
const net = require('node:net');
const poem = require('node:fs').readFileSync(process.argv[1]);
const server = net.createServer((s) => s.on('error', () => {}).end(poem));
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log('Serving on port ' + server.address().port + '.'));
`;

const servers: Array<[string, () => Promise<Server>]> = [
  ['ours (fastpoetry.ts)', () => startServer('fastpoetry', [POEM])],
  ['bare Node (net.createServer)', () => startNode(NODE_SERVER, [POEM])],
  ['Twisted', () => startTwisted(TWISTED_SERVER, [POEM])],
  ['C (epoll, cservers.c)', () => startProgram(cTool('cservers')!, ['fast', POEM])],
];
const available = (name: string): boolean =>
  (!name.startsWith('Twisted') || findTwistedPython() !== undefined) && (!name.startsWith('C ') || cTool('cservers') !== undefined);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

afterAll(async () => {
  await stopAll();
  removeTools();
});

describe('fast poetry servers', () => {
  bench(
    `${IN_FLIGHT} clients in flight, ${ROUNDS} interleaved rounds`,
    once(async () => {
      const present = servers.filter(([name]) => available(name));
      const rates = new Map<string, number[]>(present.map(([name]) => [name, []]));
      const whole = new Map<string, number>();
      const bursts = new Map<string, number>();
      // Each server is started once; rounds take turns between them.
      const running = await Promise.all(present.map(async ([name, start]) => [name, await start()] as const));
      try {
        for (const [, server] of running) await runLoad(server.port, 500, expected, IN_FLIGHT); // warm-up
        for (let round = 0; round < ROUNDS; round++) {
          for (const [name, server] of running) {
            const load = await runLoad(server.port, FETCHES, expected, IN_FLIGHT);
            rates.get(name)!.push(load.poemsPerSec);
            whole.set(name, (whole.get(name) ?? 0) + load.ok);
          }
        }
        for (const [name, server] of running) bursts.set(name, (await runLoad(server.port, BURST, expected, BURST)).ok);
      } finally {
        await Promise.all(running.map(([, server]) => server.stop()));
      }
      const ours = median(rates.get(present[0][0])!);
      const rows = present.map(([program]) => {
        const rate = median(rates.get(program)!);
        return {
          program,
          'poems/s (median)': Math.round(rate),
          rounds: rates.get(program)!.map(Math.round).join(' '),
          whole: `${whole.get(program)} of ${FETCHES * ROUNDS}`,
          [`burst of ${BURST}`]: `${bursts.get(program)} served`,
          'ours / this': ratio(ours, rate),
        };
      });
      const missing = servers.filter(([name]) => !available(name)).map(([name]) => `${name}: left out (not installed)`);
      printTable(`Fast poetry servers, ${expected}-byte poem, ${IN_FLIGHT} clients in flight`, rows, [
        ...missing,
        ...(cTool('cload') === undefined ? [NO_C_TOOLS] : []),
        'goal: ours / bare Node >= 0.95',
        loadNote(),
      ]);
    }),
    ONCE,
  );
});
