// Issue 8's fault-injection suite, the servers' half: each server program is started once per
// block and put through every fault in turn, as a hostile client or an unlucky network would.
// After each fault a normal client still gets its poem byte for byte, the server's open
// descriptors come back to what they were before the fault, and its memory stays bounded.
// Every fault is bounded in connections and in time, and stays on loopback.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cummingsify } from '../../lib/poetry/transform/transforms';
import { poem, poemBytes } from '../helpers/cli';
import { openFiles, residentMB, type Server, type SpawnOptions, startServer, stopAll } from '../helpers/programs';
import { seededRandom } from '../protocol/chunkings';
import { quoteOutput } from '../helpers/quote-output';

/** Seconds any one socket of a fault may take before the fault fails. */
const SOCKET_SECONDS = 10;
/** Seconds the server's descriptors may take to come back after a fault. */
const FD_SECONDS = 5;
/** Resident memory a server may use at all, and may gain across one fault (MB). */
const MEMORY_MB = 300;
const GROWTH_MB = 64;
/** Descriptors the server of the exhaustion fault gets (`ulimit -n`): an idle server holds about 30, and starting it (tsx loading its modules) needs room above that. */
const MAX_FILES = 96;

const POEM = 'science';
const netstring = (payload: Buffer): Buffer => Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(',')]);
const TRANSFORM_REQUEST = netstring(Buffer.concat([Buffer.from('cummingsify.'), poemBytes(POEM)]));

/** A server program under test, and what a normal client sends it and must get back. */
interface Target {
  title: string;
  /** Starts it (`extra`: more options), with whatever it depends on. */
  start(extra: readonly string[], options?: SpawnOptions): Promise<Server>;
  /** What a normal client sends (then half-closes); nothing for the poetry servers. */
  request: Buffer;
  /** What it answers. */
  reply: Buffer;
  /** A request cut short: what a slowloris or a FIN mid-request sends. */
  partial: Buffer;
  /** Connections in a burst, and how many at once (the blocking server's listen queue holds 5). */
  burst: { count: number; parallel: number };
  /**
   * Options bounding idle and total connections, for slowloris (issue 8's policies), and whether
   * a half-sent request holds its connection until the idle timeout (the proxy answers at once).
   */
  limits?: { options: string[]; connections: number; held: boolean };
}

const POETRY_PARTIAL = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
// Fast enough that a client is served in milliseconds: the faults, not the delay, are under test.
const SLOW_ARGS = ['--delay', '0.001', '--num-bytes', '100'];
// The idle timeout leaves ample time to try one client past the limit before the others are dropped.
const LIMITS = { options: ['--max-connections', '10', '--idle-timeout', '3'], connections: 10 };

let upstream: Server | undefined;
let scratch: string;

const TARGETS: Target[] = [
  {
    title: 'slowpoetry.ts (blocking)',
    start: (extra, options) => startServer('slowpoetry', [...SLOW_ARGS, ...extra, poem(POEM)], options),
    request: Buffer.alloc(0),
    reply: poemBytes(POEM),
    partial: POETRY_PARTIAL,
    // It takes each dropped client in turn (about 0.1 s each): past its queue, clients wait 1 s to retry.
    burst: { count: 50, parallel: 5 },
  },
  {
    title: 'slowpoetry.ts --reactor',
    start: (extra, options) => startServer('slowpoetry', ['--reactor', '--quiet', ...SLOW_ARGS, ...extra, poem(POEM)], options),
    request: Buffer.alloc(0),
    reply: poemBytes(POEM),
    partial: POETRY_PARTIAL,
    burst: { count: 200, parallel: 50 },
  },
  {
    title: 'fastpoetry.ts',
    start: (extra, options) => startServer('fastpoetry', [...extra, poem(POEM)], options),
    request: Buffer.alloc(0),
    reply: poemBytes(POEM),
    partial: POETRY_PARTIAL,
    burst: { count: 200, parallel: 50 },
  },
  {
    title: 'transformedpoetry.ts',
    start: (extra, options) => startServer('transformedpoetry', [...extra], options),
    request: TRANSFORM_REQUEST,
    reply: netstring(Buffer.from(cummingsify(poemBytes(POEM).toString('utf8')))),
    partial: TRANSFORM_REQUEST.subarray(0, TRANSFORM_REQUEST.length >> 1),
    burst: { count: 200, parallel: 50 },
    limits: { ...LIMITS, held: true },
  },
  {
    title: 'poetry-proxy.ts before fastpoetry.ts',
    start: async (extra, options) => {
      upstream ??= await startServer('fastpoetry', [poem(POEM)]);
      return startServer('poetry-proxy', [...extra, String(upstream.port)], options);
    },
    request: Buffer.alloc(0),
    reply: poemBytes(POEM),
    partial: POETRY_PARTIAL,
    burst: { count: 200, parallel: 50 },
    limits: { ...LIMITS, held: false },
  },
  {
    title: 'fastpoetry.ts --pidfile --logfile (the daemon)',
    start: (extra, options) => {
      const dir = mkdtempSync(path.join(scratch, 'daemon-'));
      const files = ['--pidfile', path.join(dir, 'fastpoetry.pid'), '--logfile', path.join(dir, 'fastpoetry.log')];
      return startServer('fastpoetry', [...files, ...extra, poem(POEM)], options);
    },
    request: Buffer.alloc(0),
    reply: poemBytes(POEM),
    partial: POETRY_PARTIAL,
    burst: { count: 200, parallel: 50 },
  },
];

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'faults-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// ---- Clients, hostile and normal ----

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A socket to the server; errors (the server's resets) are the fault's business, not failures. */
function open(port: number): net.Socket {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  return socket;
}

/** Resolves once `socket` has connected; rejects when it closes first or after `SOCKET_SECONDS`. */
const connected = (socket: net.Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected within ${SOCKET_SECONDS} s`)), SOCKET_SECONDS * 1000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed before it connected'));
    });
  });

/** Resolves when `socket` has closed; destroys it and rejects after `seconds`. */
function closed(socket: net.Socket, seconds = SOCKET_SECONDS, what = 'the server closed the connection'): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`not within ${seconds} s: ${what}`));
    }, seconds * 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A normal client: sends `request` and half-closes, as `nc -q 1` does (a poetry client sends
 * nothing: the poetry servers take an early FIN for a client gone); collects the answer until the
 * server closes.
 */
function exchange(port: number, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket: net.Socket = net.connect({ host: '127.0.0.1', port }, () => request.length > 0 && socket.end(request));
    const timer = setTimeout(() => socket.destroy(new Error(`no whole answer within ${SOCKET_SECONDS} s`)), SOCKET_SECONDS * 1000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(Buffer.concat(chunks));
    });
  });
}

/** Runs `each` over `count` connections, `parallel` at a time. */
async function inBatches(count: number, parallel: number, each: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, count - start) }, (_, i) => each(start + i)));
  }
}

type Fault = (server: Server, target: Target) => Promise<void>;

/** SO_LINGER 0: connect, then close at once with a reset; the connection dies in the listen queue. */
const resetAtConnect: Fault = (server) =>
  inBatches(20, 5, async () => {
    const socket = open(server.port);
    await connected(socket);
    socket.resetAndDestroy();
    await closed(socket);
  });

/** Send the partial request, take the first bytes of the answer (if any come), then reset. */
const resetMidTransfer: Fault = (server, target) =>
  inBatches(10, 5, async () => {
    const socket = open(server.port);
    await connected(socket);
    socket.write(target.partial);
    await Promise.race([new Promise((resolve) => socket.once('data', resolve)), delay(100)]);
    socket.resetAndDestroy();
    await closed(socket);
  });

/** Half a request, then FIN: the server must close its side too. */
const finMidRequest: Fault = (server, target) =>
  inBatches(10, 5, async () => {
    const socket = open(server.port);
    socket.on('data', () => {});
    socket.end(target.partial);
    await closed(socket);
  });

/**
 * Clients that send their request and never read: while they hang on, a normal client is
 * served; then they go, unread answers and all.
 */
const slowReaders: Fault = async (server, target) => {
  const sockets = Array.from({ length: 10 }, () => open(server.port));
  for (const socket of sockets) {
    socket.pause();
    socket.write(target.request.length > 0 ? target.request : target.partial);
  }
  await Promise.all(sockets.map(connected));
  expect((await exchange(server.port, target.request)).toString('latin1')).toBe(target.reply.toString('latin1'));
  for (const socket of sockets) socket.destroy();
};

/** Random bytes (seeded), 2 KB a connection, then FIN: the server answers or drops each, and closes. */
const randomBytes: Fault = (server) => {
  const random = seededRandom(20261128);
  return inBatches(20, 5, async () => {
    const bytes = Buffer.from(Array.from({ length: 2048 }, () => Math.floor(random() * 256)));
    const socket = open(server.port);
    socket.on('data', () => {});
    socket.end(bytes);
    await closed(socket);
  });
};

/** Connections opened and closed at once, without a word, 200 (50 at a time). */
const burst: Fault = (server, target) =>
  inBatches(target.burst.count, target.burst.parallel, async () => {
    const socket = open(server.port);
    await connected(socket);
    socket.destroy();
    await closed(socket);
  });

/**
 * Half-sent requests held open: the poetry servers and the proxy take no requests, send their
 * poem and close regardless.
 */
const slowloris =
  (count: number): Fault =>
  (server, target) =>
    inBatches(count, count, async () => {
      const socket = open(server.port);
      socket.on('data', () => {});
      socket.write(target.partial);
      await closed(socket, SOCKET_SECONDS, 'the server dropped a half-sent request');
    });

/**
 * Half-sent requests up to the connection limit: while they are held, one more client is closed
 * at once with nothing sent (Twisted's LimitTotalConnectionsFactory); then the idle timeout
 * drops them.
 */
const overLimit =
  (count: number): Fault =>
  async (server, target) => {
    const sockets = Array.from({ length: count }, () => open(server.port));
    for (const socket of sockets) socket.write(target.partial);
    await Promise.all(sockets.map(connected));
    expect((await exchange(server.port, target.request)).length, 'the answer past the limit').toBe(0);
    await Promise.all(sockets.map((socket) => closed(socket, SOCKET_SECONDS, 'the idle timeout dropped a half-sent request')));
  };

/** More connections than the server has descriptors, held until connected (or 2 s), then closed. */
const exhaustion: Fault = async (server) => {
  const sockets = Array.from({ length: 2 * MAX_FILES }, () => open(server.port));
  await Promise.race([Promise.allSettled(sockets.map(connected)), delay(2000)]);
  for (const socket of sockets) socket.destroy();
  await Promise.all(sockets.map((socket) => closed(socket)));
};

// ---- What must hold after each fault ----

/**
 * Polls until the server holds no more descriptors than `before`, or `FD_SECONDS` pass. (Fewer
 * is no leak: Node closes some of its own, a pipe or an eventfd, when it likes.)
 */
async function expectDescriptorsBack(server: Server, before: string[]): Promise<void> {
  const pid = server.child.pid!;
  const deadline = Date.now() + FD_SECONDS * 1000;
  let now = openFiles(pid);
  while (now.length > before.length && Date.now() < deadline) {
    await delay(50);
    now = openFiles(pid);
  }
  expect(now.length, `descriptors before the fault: ${before.join(' ')}; after: ${now.join(' ')}`).toBeLessThanOrEqual(before.length);
}

/**
 * What the server printed on stderr, for a failure message: its stack lines indented with `|`,
 * or vitest would read them as frames of the failure itself (and choke on their files).
 */
const stderrOf = (server: Server): string => quoteOutput(server.stderr());

/** Puts `server` through `fault`, then checks that it holds no more descriptors, serves and stays bounded. */
async function survives(server: Server, target: Target, fault: Fault): Promise<void> {
  const pid = server.child.pid!;
  const files = openFiles(pid);
  const memory = residentMB(pid);
  await fault(server, target);
  // First the descriptors: a server still at its limit (the exhaustion fault) sheds new
  // clients until the fault's connections are closed, which on a busy machine takes a moment.
  await expectDescriptorsBack(server, files);
  const answer = await exchange(server.port, target.request).catch((error: Error) => {
    throw new Error(`a normal client after the fault: ${error.message}; the server: ${stderrOf(server)}`);
  });
  expect(answer.toString('latin1')).toBe(target.reply.toString('latin1'));
  const after = residentMB(pid);
  expect(after).toBeLessThan(MEMORY_MB);
  expect(after - memory).toBeLessThan(GROWTH_MB);
  expect(server.child.exitCode, stderrOf(server)).toBeNull();
}

/** Starts a server and serves a normal client twice, so that what it opens lazily is open before a baseline. */
async function startWarm(target: Target, extra: readonly string[] = [], options?: SpawnOptions): Promise<Server> {
  const server = await target.start(extra, options);
  for (let i = 0; i < 2; i++) await exchange(server.port, target.request);
  return server;
}

describe.each(TARGETS)('$title', (target) => {
  let server: Server;

  beforeAll(async () => {
    server = await startWarm(target);
  });
  // A server a fault killed (or left without its port) is replaced, so that the next fault tests something.
  beforeEach(async () => {
    const serving = await exchange(server.port, target.request).then(
      (answer) => answer.equals(target.reply),
      () => false,
    );
    if (!serving || server.child.exitCode !== null) {
      await server.stop('SIGKILL');
      server = await startWarm(target);
    }
  });
  afterAll(async () => {
    await stopAll();
    upstream = undefined;
  });

  it('survives connections reset at connect (SO_LINGER 0), 20 of them', () => survives(server, target, resetAtConnect));
  it('survives connections reset mid-transfer', () => survives(server, target, resetMidTransfer));
  it('closes connections that send FIN mid-request', () => survives(server, target, finMidRequest));
  it('serves others while clients never read, and survives them', () => survives(server, target, slowReaders));
  it('survives random bytes (seeded)', () => survives(server, target, randomBytes));
  it(`survives a burst of ${target.burst.count} connect-and-close`, () => survives(server, target, burst));

  if (target.limits) {
    const { options, connections, held } = target.limits;
    const [title, fault] = held
      ? ['refuses a client past its limit while half-sent requests are held, and drops those when idle', overLimit(connections)]
      : ['serves half-sent requests held open (slowloris), up to its limit', slowloris(connections)];
    it(`${title} (${options.join(' ')})`, async () => {
      const limited = await startWarm(target, options);
      await survives(limited, target, fault);
      await limited.stop('SIGKILL');
    });
  } else {
    it('serves half-sent requests held open (slowloris), 20 of them', () => survives(server, target, slowloris(20)));
  }

  it(`survives running out of descriptors (ulimit -n ${MAX_FILES}, ${2 * MAX_FILES} connections)`, async () => {
    const limited = await startWarm(target, [], { maxFiles: MAX_FILES });
    expect(readFileSync(`/proc/${limited.child.pid}/limits`, 'utf8')).toMatch(new RegExp(`^Max open files +${MAX_FILES} `, 'm'));
    await survives(limited, target, exhaustion);
    await limited.stop('SIGKILL');
  });
});
