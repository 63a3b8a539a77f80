// The client half of the fault-injection suite (issue 8): each poetry client against a server that
// sends forever, one that never sends, one that resets and one that closes at once, with a good
// server alongside. The faulty poem fails with one line (or, for the empty one, is a 0-byte poem),
// the good one arrives byte for byte, and the exit status says whether any poem failed.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockingClient, type ClientResult } from '../../lib/blocking/client';
import { PoemTooLongError } from '../../lib/blocking/poem-limits';
import { asyncClient } from '../../lib/select/async-client';
import { type Address, SocketError, SocketTimeoutError } from '../../lib/sockets/index';
import { poemBytes, printed } from '../helpers/cli';
import { fullQueue } from '../helpers/net';
import { runCli } from '../helpers/programs';

const POEM = poemBytes('science');
const MAX_BYTES = 100_000;
// Short for the server that never sends; generous for the others, so a loaded machine that is
// slow to connect does not turn their fault into a timeout.
const TIMEOUT = 0.5;
const timeoutFor = (fault: Fault): number => (fault === 'silent' ? TIMEOUT : 10);
const limits = (fault: Fault): string[] => ['--max-bytes', String(MAX_BYTES), '--timeout', String(timeoutFor(fault))];

type Fault = 'forever' | 'silent' | 'reset' | 'empty';
const FAULTS: Fault[] = ['forever', 'silent', 'reset', 'empty'];

/**
 * The servers, on a thread of their own so that they serve while the blocking client blocks this
 * one: `good` sends POEM and closes, `forever` sends as fast as it is read and counts what it got
 * out, `silent` accepts and never sends, `trickle` sends 12 bytes 100 ms apart, `reset` resets at
 * once, `empty` closes at once.
 */
const SERVERS = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const chunk = Buffer.alloc(64 * 1024, 'x');
let sent = 0; // the most bytes the forever server got out on one connection
const forever = new Set(); // its open connections
let asked = false; // whether the test waits for them to close
const report = () => {
  if (!asked || forever.size > 0) return;
  asked = false;
  parentPort.postMessage(sent);
};
const serve = {
  good: (socket) => socket.end(workerData.poem),
  forever: (socket) => {
    forever.add(socket);
    socket.on('close', () => {
      forever.delete(socket);
      report();
    });
    let mine = 0;
    const pump = () => {
      while (!socket.destroyed) {
        mine += chunk.length;
        sent = Math.max(sent, mine);
        if (!socket.write(chunk)) return;
      }
    };
    socket.on('drain', pump);
    pump();
  },
  silent: () => {},
  // A byte every 100 ms, 12 in all: slow but never silent for long.
  trickle: (socket) => {
    let left = 12;
    const timer = setInterval(() => {
      if (--left === 0) {
        clearInterval(timer);
        socket.end('.');
      } else {
        socket.write('.');
      }
    }, 100);
    socket.on('close', () => clearInterval(timer));
  },
  reset: (socket) => socket.resetAndDestroy(),
  empty: (socket) => socket.end(),
};
const servers = Object.entries(serve).map(([kind, handle]) => {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    handle(socket);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve([kind, server])));
});
Promise.all(servers).then((list) => {
  parentPort.postMessage(Object.fromEntries(list.map(([kind, server]) => [kind, server.address().port])));
  parentPort.on('message', (message) => {
    if (message === 'sent') {
      asked = true;
      return report();
    }
    for (const socket of forever) socket.destroy();
    for (const [, server] of list) server.close();
    parentPort.close();
  });
});
`;

let worker: Worker;
let ports: Record<Fault | 'good' | 'trickle', number>;

beforeAll(async () => {
  worker = new Worker(SERVERS, { eval: true, workerData: { poem: POEM } });
  ports = await new Promise((resolve) => worker.once('message', resolve));
});
afterAll(async () => {
  worker.postMessage('stop');
  await new Promise((resolve) => worker.once('exit', resolve));
});

/** Once the forever server's connections have all closed: the most bytes it got out on one. */
function foreverSent(): Promise<number> {
  worker.postMessage('sent');
  return new Promise((resolve) => worker.once('message', resolve));
}

const where = (fault: Fault): string => `127.0.0.1:${ports[fault]}`;

/** The line each client prints for a fault (none for the empty poem). */
function failureLine(fault: Fault): RegExp {
  const at = where(fault).replaceAll('.', '\\.');
  return {
    forever: new RegExp(`^Poem failed: ${at} sent more than ${MAX_BYTES} bytes$`),
    silent: new RegExp(`^Poem failed: recv ETIMEDOUT: nothing from ${at} for ${TIMEOUT} s$`),
    // Named by the client or in the system's message, whichever says it first.
    reset: new RegExp(`^Poem failed: (?=.*${at})(?=.*(ECONNRESET|Connection to the other side was lost)).*$`),
    empty: /^$/,
  }[fault];
}

describe.each(['get-poetry-blocking', 'get-poetry-async', 'get-poetry'])('lib/cli/%s against a faulty server', (cli) => {
  it.each(FAULTS)('%s: the faulty poem fails with one line (or is empty), the good one arrives whole, exit 1 on failure', async (fault) => {
    const run = await runCli(cli, [...limits(fault), String(ports[fault]), String(ports.good)], 20);
    const failed = fault !== 'empty';
    expect(run.stderr.trimEnd()).toMatch(failureLine(fault));
    expect(run.code).toBe(failed ? 1 : 0);
    const size = POEM.length;
    if (cli === 'get-poetry') {
      // The reactor client prints each poem in full as it completes; the empty one as an empty line.
      expect(failed ? [POEM.toString()] : [`\n${POEM}`, `${POEM}\n`]).toContain(run.stdout);
    } else if (cli === 'get-poetry-blocking') {
      expect(run.stdout).toContain(`Task 2: got ${size} bytes of poetry from ${where('good' as Fault)} in `);
      if (!failed) expect(run.stdout).toContain(`Task 1: got 0 bytes of poetry from ${where(fault)} in `);
      expect(run.stdout).toMatch(`Got ${failed ? 1 : 2} poems in `);
    } else {
      expect(run.stdout).toContain(`Task 2: ${size} bytes of poetry\n`);
      expect(run.stdout.includes('Task 1: 0 bytes of poetry\n')).toBe(!failed);
      expect(run.stdout).toMatch(`Got ${failed ? 1 : 2} poems in `);
    }
    if (fault === 'forever') {
      // It stopped reading at its limit and closed: the server got out that much plus what the
      // socket buffers hold (a few MiB on loopback), where a client holding everything takes
      // hundreds of MiB a second.
      const sent = await foreverSent();
      expect(sent).toBeGreaterThan(MAX_BYTES);
      expect(sent).toBeLessThan(32 * 1024 * 1024);
    }
  });
});

/** What each fault makes a library client's poem fail with (undefined: it does not fail). */
const EXPECTED: Record<Fault, unknown> = {
  forever: PoemTooLongError,
  silent: SocketTimeoutError,
  reset: SocketError,
  empty: undefined,
};

describe.each([
  ['blockingClient', (addresses: Address[], options: object) => Promise.resolve(blockingClient(addresses, options))],
  ['asyncClient', asyncClient],
] as const)('%s against a faulty server', (_name, client) => {
  it.each(FAULTS)('%s: fails that poem only, and the good one arrives byte for byte', async (fault) => {
    const out = printed();
    const result = await client(
      [
        ['127.0.0.1', ports[fault]],
        ['127.0.0.1', ports.good],
      ],
      { ...out, maxBytes: MAX_BYTES, timeout: timeoutFor(fault) },
    );
    expect(result.poems[1].equals(POEM)).toBe(true);
    expect(result.errors[1]).toBeUndefined();
    if (EXPECTED[fault] === undefined) {
      expect(result.errors[0]).toBeUndefined();
      expect(result.poems[0].length).toBe(0);
      expect(out.errors).toEqual([]);
    } else {
      expect(result.errors[0]).toBeInstanceOf(EXPECTED[fault]);
      expect(out.errors).toHaveLength(1);
      expect(out.errors[0]).toMatch(failureLine(fault));
    }
  });
});

describe('lib/cli/get-poetry.ts --xform against a transform server that never answers', () => {
  it('gives up the transform after --timeout and prints the poem as it came', async () => {
    const run = await runCli('get-poetry', ['--timeout', String(TIMEOUT), '--xform', String(ports.silent), String(ports.good)], 20);
    expect(run.stdout).toBe(POEM.toString());
    expect(run.stderr).toBe(`Transform cummingsify failed: Deferred timed out after ${TIMEOUT} seconds\n`);
    expect(run.code).toBe(0);
  });
});

describe('the timeout is idle time, not total time', () => {
  // The trickle takes 1.2 s in all, never more than 0.1 s between two bytes.
  const addresses = (): Address[] => [
    ['127.0.0.1', ports.silent],
    ['127.0.0.1', ports.trickle],
  ];

  it.each([
    ['blockingClient', (options: object): Promise<ClientResult> => Promise.resolve(blockingClient(addresses(), options))],
    ['asyncClient', (options: object): Promise<ClientResult> => asyncClient(addresses(), options)],
  ] as const)('%s: a server silent for --timeout fails while a slow but steady one is not cut', async (_name, client) => {
    const out = printed();
    const result = await client({ ...out, timeout: TIMEOUT });
    expect(result.errors[0]).toBeInstanceOf(SocketTimeoutError);
    expect(result.errors[1]).toBeUndefined();
    expect(result.poems[1].toString()).toBe('.'.repeat(12));
  });

  it('lib/cli/get-poetry.ts: likewise', async () => {
    const run = await runCli('get-poetry', ['--timeout', String(TIMEOUT), String(ports.silent), String(ports.trickle)], 20);
    expect(run.stdout).toBe(`${'.'.repeat(12)}\n`);
    expect(run.stderr).toBe(`Poem failed: recv ETIMEDOUT: nothing from 127.0.0.1:${ports.silent} for ${TIMEOUT} s\n`);
    expect(run.code).toBe(1);
  });
});

describe('a listener whose accept queue is full (the connection is never made)', () => {
  it.each([
    ['get-poetry-blocking', (port: number) => `Poem failed: connect ETIMEDOUT: no connection to 127.0.0.1:${port} for ${TIMEOUT} s`],
    ['get-poetry-async', (port: number) => `Poem failed: connect ETIMEDOUT: no connection to 127.0.0.1:${port} for ${TIMEOUT} s`],
    ['get-poetry', (port: number) => `Poem failed: 127.0.0.1:${port}: User timeout caused connection failure.`],
  ])('%s gives up connecting after --timeout and gets the other poem', async (cli, line) => {
    const listener = await fullQueue();
    try {
      const run = await runCli(cli, ['--timeout', String(TIMEOUT), String(listener.port), String(ports.good)], 20);
      expect(run.stderr).toBe(`${line(listener.port)}\n`);
      expect(run.code).toBe(1);
      if (cli === 'get-poetry') expect(run.stdout).toBe(POEM.toString());
      else expect(run.stdout).toMatch(cli.endsWith('blocking') ? `Task 2: got ${POEM.length} bytes` : `Task 2: ${POEM.length} bytes of poetry\n`);
    } finally {
      await listener.close();
    }
  });
});
