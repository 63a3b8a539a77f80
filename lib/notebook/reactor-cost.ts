// Chapter 03: what an idle reactor costs, and what one turn of its loop costs with many idle
// connections watched, for each reactor (tested in test/notebook/reactor-cost.test.ts).
import * as net from 'node:net';
import type { ReactorBase } from '../reactor/base';
import type { IReadDescriptor } from '../reactor/interfaces';
import { NonBlockingServerSocket, type NonBlockingSocket } from '../sockets/nonblocking-socket';

/**
 * Runs `reactor` with nothing to do for `seconds` and returns the CPU time this process used
 * meanwhile, in seconds: a reactor that waits, rather than polls, uses next to none.
 */
export async function idleCpuSeconds(reactor: ReactorBase, seconds: number): Promise<number> {
  const before = process.cpuUsage();
  reactor.callLater(seconds, () => reactor.stop());
  await reactor.run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** Connections opened at once while setting up: more than a listen queue holds would be lost. */
const BATCH = 256;

/**
 * Opens `count` idle loopback connections, outside any reactor, and resolves with both ends.
 * @throws Error when they cannot all be opened within `seconds` (too few descriptors).
 */
async function idleConnections(count: number, seconds: number): Promise<{ ends: NonBlockingSocket[]; close: () => void }> {
  const server = await NonBlockingServerSocket.listen('127.0.0.1', 0, 4096);
  const clients: net.Socket[] = [];
  const ends: NonBlockingSocket[] = [];
  const close = (): void => {
    for (const end of ends) end.close();
    for (const client of clients) client.destroy();
    server.close();
  };
  const deadline = performance.now() + seconds * 1000;
  try {
    for (let opened = 0; opened < count && performance.now() < deadline; opened += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, count - opened) }, () => {
        const client = net.connect({ host: '127.0.0.1', port: server.getsockname()[1] });
        client.on('error', () => {});
        clients.push(client);
        return new Promise((resolve) => client.once('connect', resolve).once('close', resolve));
      });
      await Promise.all(batch);
    }
    while (ends.length < count && performance.now() < deadline) {
      if (server.pending === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      else ends.push(server.accept()[0]);
    }
  } catch (error) {
    close();
    throw error;
  }
  if (ends.length < count) {
    close();
    throw new Error(`only ${ends.length} of ${count} connections opened in ${seconds} s: raise \`ulimit -n\` or ask for fewer`);
  }
  return { ends, close };
}

/**
 * Times one turn of `reactor`'s loop while it watches `connections` idle sockets: opens them
 * (outside the reactor) and registers a reader for each, then runs `rounds` rounds of `turns`
 * turns (each turn with a timed call due, so none waits), and closes everything. Resolves with
 * the seconds per turn of the median round (a pause for garbage collection, or another program
 * on the machine, spoils a round, not the figure); one untimed round first warms up.
 * @throws Error when the connections cannot all be opened within `setupSeconds`.
 */
export async function turnSeconds(reactor: ReactorBase, connections: number, turns = 200, rounds = 9, setupSeconds = 30): Promise<number> {
  const { ends, close } = await idleConnections(connections, setupSeconds);
  // Idle: they never become readable, so doRead is never called.
  const readers: IReadDescriptor[] = ends.map((end) => ({ fileno: () => end, doRead: () => undefined, connectionLost: () => {} }));
  for (const reader of readers) reactor.addReader(reader);
  const perTurn: number[] = [];
  let left = turns;
  let start = reactor.seconds();
  const tick = (): void => {
    if (--left > 0) {
      reactor.callLater(0, tick);
      return;
    }
    const now = reactor.seconds();
    perTurn.push((now - start) / turns);
    if (perTurn.length > rounds) {
      reactor.stop();
      return;
    }
    [left, start] = [turns, now];
    reactor.callLater(0, tick);
  };
  reactor.callLater(0, tick);
  try {
    await reactor.run();
  } finally {
    for (const reader of readers) reactor.removeReader(reader);
    close();
  }
  const timed = perTurn.slice(1).sort((a, b) => a - b); // the first round warmed up
  return timed[timed.length >> 1];
}
