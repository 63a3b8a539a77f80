import { afterEach, describe, expect, it } from 'vitest';
import { BlockingServerSocket, BlockingSocket, SocketError, SocketTimeoutError, sleep } from '../../lib/sockets/index';
import { delayedSender, freePort, fullQueue, occupy } from '../helpers/net';

const open: Array<{ close(): void }> = [];
const track = <T extends { close(): void }>(sock: T): T => {
  open.push(sock);
  return sock;
};
afterEach(() => {
  for (const sock of open.splice(0)) sock.close();
});

/** A listening socket and a connected pair, all in this thread (the worker accepts meanwhile). */
function pair(): [BlockingSocket, BlockingSocket] {
  const server = track(BlockingServerSocket.listen('127.0.0.1', 0));
  const client = track(BlockingSocket.connect('127.0.0.1', server.getsockname()[1]));
  const [accepted] = server.accept();
  return [client, track(accepted)];
}

describe('BlockingSocket', () => {
  it('sends and receives bytes in order, and an empty buffer at end of stream', () => {
    const [client, server] = pair();
    client.sendall('hello, ');
    client.sendall(Buffer.from('poetry'));
    client.close();
    const chunks: Buffer[] = [];
    for (let data = server.recv(4); data.length > 0; data = server.recv(4)) {
      expect(data.length).toBeLessThanOrEqual(4);
      chunks.push(data);
    }
    expect(Buffer.concat(chunks).toString()).toBe('hello, poetry');
    expect(server.recv(4).length).toBe(0);
  });

  it('reports the addresses of both ends', () => {
    const [client, server] = pair();
    expect(client.getpeername()).toEqual(server.getsockname());
    expect(server.getpeername()).toEqual(client.getsockname());
    expect(client.getpeername()[0]).toBe('127.0.0.1');
  });

  it('carries 200 kB intact', () => {
    const [client, server] = pair();
    const payload = Buffer.alloc(200_000, 0);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) % 251;
    client.sendall(payload);
    client.close();
    const chunks: Buffer[] = [];
    for (let data = server.recv(65536); data.length > 0; data = server.recv(65536)) chunks.push(data);
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
  });

  it('blocks the thread: a timer due during recv fires only after recv returns', async () => {
    const sender = await delayedSender(200, 'late');
    try {
      const events: string[] = [];
      setTimeout(() => events.push('timer'), 0);
      const sock = track(BlockingSocket.connect('127.0.0.1', sender.port));
      const started = performance.now();
      const data = sock.recv(10);
      events.push(`recv ${data.toString()}`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(events).toEqual(['recv late', 'timer']);
    } finally {
      await sender.stop();
    }
  });

  it('connects as Python does too: made unconnected, then connect()', () => {
    const server = track(BlockingServerSocket.listen('127.0.0.1', 0));
    const sock = track(new BlockingSocket());
    expect(() => sock.getpeername()).toThrow(expect.objectContaining({ code: 'ENOTCONN' }));
    sock.connect('127.0.0.1', server.getsockname()[1]);
    const [accepted, address] = server.accept();
    track(accepted);
    expect(address).toEqual(sock.getsockname());
    expect(() => sock.connect('127.0.0.1', server.getsockname()[1])).toThrow(expect.objectContaining({ code: 'EISCONN' }));
  });

  it('throws ECONNREFUSED when nothing listens', async () => {
    const port = await freePort();
    expect(() => BlockingSocket.connect('127.0.0.1', port)).toThrow(
      expect.objectContaining({ name: 'SocketError', code: 'ECONNREFUSED' }),
    );
  });

  it('throws EBADF after close, and close is idempotent', () => {
    const [client] = pair();
    client.close();
    client.close();
    expect(() => client.recv(1)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => client.sendall('x')).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('rejects a recv size that is not a positive integer', () => {
    const [client] = pair();
    expect(() => client.recv(0)).toThrow(TypeError);
    expect(() => client.recv(1.5)).toThrow('Expected `n` to be an integer > 0, got `1.5` (number)');
  });

  it('throws EPIPE or ECONNRESET when sending to a peer that has gone', () => {
    const [client, server] = pair();
    server.close();
    const send = (): void => {
      // The first writes may still be taken by the kernel; the error shows within a few.
      for (let i = 0; i < 100; i++) {
        client.sendall(Buffer.alloc(65536));
        sleep(0.002);
      }
    };
    expect(send).toThrow(SocketError);
  });
});

describe('BlockingServerSocket', () => {
  it('accepts clients in the order they connected', () => {
    const server = track(BlockingServerSocket.listen('127.0.0.1', 0));
    const port = server.getsockname()[1];
    const first = track(BlockingSocket.connect('127.0.0.1', port));
    const second = track(BlockingSocket.connect('127.0.0.1', port));
    const [a, addressA] = server.accept();
    const [b] = server.accept();
    track(a);
    track(b);
    expect(addressA).toEqual(first.getsockname());
    expect(b.getpeername()).toEqual(second.getsockname());
  });

  it('throws EADDRINUSE for a port in use, EADDRNOTAVAIL for an address not on this host', async () => {
    const taken = await occupy();
    try {
      expect(() => BlockingServerSocket.listen('127.0.0.1', taken.port)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    } finally {
      await taken.close();
    }
    expect(() => BlockingServerSocket.listen('192.0.2.1', 0)).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL' }));
  });

  it('frees its port on close', () => {
    const server = BlockingServerSocket.listen('127.0.0.1', 0);
    const port = server.getsockname()[1];
    server.close();
    track(BlockingServerSocket.listen('127.0.0.1', port));
  });

  it('refuses to listen before bind', () => {
    expect(() => new BlockingServerSocket().listen()).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});

const timedOut = (syscall: string): unknown =>
  expect.objectContaining({ name: 'SocketTimeoutError', code: 'ETIMEDOUT', syscall, message: expect.stringMatching(`^${syscall} ETIMEDOUT: `) });

describe('BlockingSocket.settimeout', () => {
  it('makes a recv that waits longer throw SocketTimeoutError, and the socket stays usable, as in Python', () => {
    const [client, server] = pair();
    expect(client.gettimeout()).toBeNull();
    client.settimeout(0.05);
    expect(client.gettimeout()).toBe(0.05);
    expect(() => client.recv(10)).toThrow(timedOut('recv'));
    let error: unknown;
    try {
      client.recv(10);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SocketTimeoutError);
    expect(error).toBeInstanceOf(SocketError);
    expect((error as Error).message).toBe(`recv ETIMEDOUT: nothing from 127.0.0.1:${server.getsockname()[1]} for 0.05 s`);
    server.sendall('still here');
    expect(client.recv(100).toString()).toBe('still here');
    server.close();
    expect(client.recv(100).length).toBe(0);
  });

  it('lets data that arrived in time through, and null waits forever again', async () => {
    const sender = await delayedSender(50, 'in time');
    try {
      const sock = track(BlockingSocket.connect('127.0.0.1', sender.port, 5));
      expect(sock.gettimeout()).toBe(5);
      expect(sock.recv(100).toString()).toBe('in time');
      sock.settimeout(null);
      expect(sock.gettimeout()).toBeNull();
      expect(sock.recv(100).length).toBe(0);
    } finally {
      await sender.stop();
    }
  });

  it('makes a connect to a listener whose queue is full throw SocketTimeoutError, leaving the socket unconnected', async () => {
    const listener = await fullQueue();
    try {
      expect(() => BlockingSocket.connect('127.0.0.1', listener.port, 0.1)).toThrow(timedOut('connect'));
      const sock = track(new BlockingSocket());
      sock.settimeout(0.1);
      expect(() => sock.connect('127.0.0.1', listener.port)).toThrow(`connect ETIMEDOUT: no connection to 127.0.0.1:${listener.port} for 0.1 s`);
      expect(() => sock.getpeername()).toThrow(expect.objectContaining({ code: 'ENOTCONN' }));
    } finally {
      await listener.close();
    }
  });

  it('rejects a timeout that is not a number > 0 a timer can hold, or null', () => {
    const sock = new BlockingSocket();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 3e6, '1', undefined]) {
      expect(() => sock.settimeout(bad as number)).toThrow(TypeError);
    }
    expect(() => sock.settimeout(0)).toThrow('Expected `seconds` to be a number > 0 and <= 2147483.647, or null, got `0` (number)');
    expect(() => BlockingSocket.connect('127.0.0.1', 1, -1)).toThrow(TypeError);
    expect(() => new BlockingServerSocket().settimeout(0)).toThrow(TypeError);
  });
});

describe('BlockingServerSocket.settimeout', () => {
  it('makes an accept with no client throw SocketTimeoutError; it goes on listening, and accepted sockets have no timeout', () => {
    const server = track(BlockingServerSocket.listen('127.0.0.1', 0));
    server.settimeout(0.05);
    expect(server.gettimeout()).toBe(0.05);
    expect(() => server.accept()).toThrow(timedOut('accept'));
    expect(() => server.accept()).toThrow('accept ETIMEDOUT: no client for 0.05 s');
    const client = track(BlockingSocket.connect('127.0.0.1', server.getsockname()[1]));
    const [accepted, address] = server.accept();
    track(accepted);
    expect(address).toEqual(client.getsockname());
    expect(accepted.gettimeout()).toBeNull();
  });
});

describe('sleep', () => {
  it('blocks the thread for the time given', async () => {
    let fired = false;
    setTimeout(() => (fired = true), 0);
    const started = performance.now();
    sleep(0.05);
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    expect(fired).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toBe(true);
  });

  it('rejects a negative or non-numeric time', () => {
    expect(() => sleep(-1)).toThrow('Expected `seconds` to be a number >= 0, got `-1` (number)');
    expect(() => sleep(Number.NaN)).toThrow(TypeError);
  });
});
