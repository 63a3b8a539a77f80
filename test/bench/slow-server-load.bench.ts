// Issue 12's load goal, measured in one run: slow poetry servers (3 KB poem, 30 bytes every
// 0.1 s, so 101 chunks and an ideal of 10.1 s per client) with N clients connecting at once, the
// clients being the C load generator (cheap beside the server). Ours (the reactor edition) beside
// a LoopingCall server on Twisted, a bare Node server on the same deadline schedule, and the C
// server (the machine's limit). Prints one table per client count: p99 client time / the ideal,
// and ours / each peer. Sizes: LOAD_CLIENTS=1,5000,10000 (default).
import { readFileSync } from 'node:fs';
import { afterAll, bench, describe } from 'vitest';
import { poem } from '../helpers/cli';
import { type Server, startProgram, startServer, stopAll } from '../helpers/programs';
import { findTwistedPython, startTwisted } from '../helpers/twisted';
import { once, ONCE } from './once';
import { cTool, loadNote, NO_C_TOOLS, printTable, ratio, removeTools, runLoad, startNode } from './peers';

const SIZES = (process.env.LOAD_CLIENTS ?? '1,5000,10000').split(',').map(Number);
const DELAY = 0.1;
const NUM_BYTES = 30;
const POEM = poem('ecstasy');
const expected = readFileSync(POEM).length;
const IDEAL = Math.ceil(expected / NUM_BYTES) * DELAY; // a sleep after every chunk, the last one included

// A slow poetry server on Twisted as Twisted users write it: a LoopingCall per client.
const TWISTED_SERVER = `
import sys
from twisted.internet import reactor, task
from twisted.internet.protocol import Protocol, ServerFactory
delay, num_bytes = float(sys.argv[1]), int(sys.argv[2])
poem = open(sys.argv[3], 'rb').read()
class SlowPoetry(Protocol):
    def connectionMade(self):
        self.offset = 0
        self.loop = task.LoopingCall(self.send)
        self.loop.start(delay)
    def send(self):
        if self.offset >= len(poem):
            self.loop.stop()
            self.transport.loseConnection()
            return
        self.transport.write(poem[self.offset:self.offset + num_bytes])
        self.offset += num_bytes
    def connectionLost(self, reason):
        if self.loop.running:
            self.loop.stop()
port = reactor.listenTCP(0, ServerFactory.forProtocol(SlowPoetry), backlog=4096, interface='127.0.0.1')
print('Serving on port %d.' % port.getHost().port, flush=True)
reactor.run()
`;

// The same schedule on bare Node: a timer per client, chunk k due at start + k * delay.
const NODE_SERVER = `
const net = require('node:net');
const [delay, numBytes, file] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
const poem = require('node:fs').readFileSync(file);
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  const start = performance.now();
  let k = 0;
  const tick = () => {
    if (k * numBytes >= poem.length) return socket.end();
    socket.write(poem.subarray(k * numBytes, (k + 1) * numBytes));
    k++;
    timer = setTimeout(tick, Math.max(0, start + k * delay * 1000 - performance.now()));
  };
  let timer;
  socket.on('close', () => clearTimeout(timer));
  tick();
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log('Serving on port ' + server.address().port + '.'));
`;

const servers: Array<[string, () => Promise<Server>]> = [
  ['ours (slowpoetry.ts --reactor)', () => startServer('slowpoetry', ['--reactor', '--quiet', '--delay', String(DELAY), '--num-bytes', String(NUM_BYTES), POEM])],
  ['Twisted (LoopingCall)', () => startTwisted(TWISTED_SERVER, [String(DELAY), String(NUM_BYTES), POEM])],
  ['bare Node (setTimeout)', () => startNode(NODE_SERVER, [String(DELAY), String(NUM_BYTES), POEM])],
  ['C (epoll, cservers.c)', () => startProgram(cTool('cservers')!, ['slow', POEM, String(DELAY), String(NUM_BYTES)])],
];
const available = (name: string): boolean =>
  (!name.startsWith('Twisted') || findTwistedPython() !== undefined) && (!name.startsWith('C ') || cTool('cservers') !== undefined);

afterAll(async () => {
  await stopAll();
  removeTools();
});

describe('slow poetry servers under load', () => {
  for (const clients of SIZES) {
    bench(
      `${clients} clients at once`,
      once(async () => {
        const rows = [];
        let ours: number | undefined;
        for (const [program, start] of servers.filter(([name]) => available(name))) {
          const server = await start();
          try {
            const load = await runLoad(server.port, clients, expected, clients, 120);
            const p99 = load.p99 / IDEAL;
            ours ??= p99;
            rows.push({ program, 'complete poems': `${load.ok} of ${clients}`, 'p50 / ideal': (load.p50 / IDEAL).toFixed(3), 'p99 / ideal': p99.toFixed(3), 'ours / this (p99)': ratio(ours, p99, 3) });
          } finally {
            await server.stop();
          }
        }
        const missing = servers.filter(([name]) => !available(name)).map(([name]) => `${name}: left out (not installed)`);
        printTable(`Slow poetry servers, ${clients} clients at once, ${expected}-byte poem, ${NUM_BYTES} bytes every ${DELAY} s (ideal ${IDEAL.toFixed(1)} s)`, rows, [
          ...missing,
        ...(cTool('cload') === undefined ? [NO_C_TOOLS] : []),
          'goal: ours / C at p99 <= 1.05 at 5,000 clients, <= 1.4 at 10,000',
          loadNote(),
        ]);
      }),
      ONCE,
    );
  }
});
