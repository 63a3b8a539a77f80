import { afterEach, describe, expect, it } from 'vitest';
import { type NonBlockingSocket, POLLIN, POLLOUT, Poller, select } from '../../lib/sockets/index';
import { closeAll, connect, connectedPair, listen } from '../helpers/nonblocking';

afterEach(closeAll);

describe('Poller.poll', () => {
  it('reports a readable socket, level-triggered, until it is drained', async () => {
    const [client, server] = await connectedPair();
    const poller = new Poller();
    poller.register(client, POLLIN);
    expect(await poller.poll(0)).toEqual([]);
    server.send('data');
    expect(await poller.poll(5)).toEqual([[client, POLLIN]]);
    expect(await poller.poll(0)).toEqual([[client, POLLIN]]);
    client.recv(100);
    expect(await poller.poll(0)).toEqual([]);
  });

  it('reports both events when asked for both', async () => {
    const [client, server] = await connectedPair();
    const poller = new Poller();
    poller.register(client, POLLIN | POLLOUT);
    expect(await poller.poll(0)).toEqual([[client, POLLOUT]]);
    server.send('x');
    await select([client], [], 5);
    expect(await poller.poll(0)).toEqual([[client, POLLIN | POLLOUT]]);
    poller.modify(client, POLLIN);
    expect(await poller.poll(0)).toEqual([[client, POLLIN]]);
  });

  it('forgets an unregistered socket', async () => {
    const [client, server] = await connectedPair();
    const poller = new Poller();
    poller.register(client, POLLIN);
    poller.unregister(client);
    server.send('x');
    await select([client], [], 5);
    expect(await poller.poll(0)).toEqual([]);
    expect(poller.size).toBe(0);
  });

  it('times out with no events, and wakeUp ends a wait early', async () => {
    const poller = new Poller();
    expect(await poller.poll(0.02)).toEqual([]);
    const waiting = poller.poll();
    poller.wakeUp();
    expect(await waiting).toEqual([]);
  });

  it('rejects a mask with no event bit', async () => {
    const [client] = await connectedPair();
    expect(() => new Poller().register(client, 0)).toThrow(TypeError);
  });

  it('looks only at ready sockets: 5,000 idle and 1 active cost one look per poll', async () => {
    const server = await listen();
    const port = server.getsockname()[1];
    const idle: NonBlockingSocket[] = [];
    const accepted: NonBlockingSocket[] = [];
    // In batches that fit the listen backlog: a silent client whose handshake overflowed the
    // kernel's queue would never be accepted. The server keeps them all open, silent.
    while (idle.length < 5000) {
      for (let i = 0; i < 250; i++) idle.push(connect(port));
      while (accepted.length < idle.length) {
        const [ready] = await select([server], [], 5);
        expect(ready).toEqual([server]);
        while (server.pending > 0) accepted.push(server.accept()[0]);
      }
    }
    const [active, peer] = await connectedPair();
    const poller = new Poller();
    for (const sock of idle) poller.register(sock, POLLIN);
    poller.register(active, POLLIN);
    await poller.poll(0); // registration marks each socket as worth one look, once
    expect(await poller.poll(0)).toEqual([]);
    expect(poller.examined).toBe(0);
    peer.send('x');
    expect(await poller.poll(5)).toEqual([[active, POLLIN]]);
    expect(poller.examined).toBe(1);
    for (const sock of [...idle, ...accepted]) sock.close();
  }, 60_000);
});
