import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CannotListenError, ConnectionAborted, ConnectionDone, ConnectionRefusedError, ConnectTimeoutError, DNSLookupError } from '../../lib/reactor/errors';
import type { ITCPTransport } from '../../lib/reactor/interfaces';
import type { ReactorBase } from '../../lib/reactor/base';
import { setErrorLogger } from '../../lib/log/index';
import { expectClean, REACTORS, Recorder, RecordingFactory } from '../helpers/reactor';
import { fetchAll, freePort, occupy } from '../helpers/net';
import { startProgram } from '../helpers/programs';
import { BlockingServerSocket } from '../../lib/sockets/blocking-socket';
import { quoteOutput } from '../helpers/quote-output';

const PYTHON = '/usr/bin/python3';
// Connects and resets (SO_LINGER 0) three times, as a hostile or unlucky client can.
const RESET_THREE_TIMES = `
import socket, struct, sys
for _ in range(3):
    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()
`;

let reactor: ReactorBase;
afterEach(() => expectClean(reactor));

/** Runs the reactor until `done` resolves or `seconds` pass, then stops it. */
async function runUntil(done: Promise<unknown>, seconds = 10): Promise<void> {
  const timer = setTimeout(() => reactor.running && reactor.stop(), seconds * 1000);
  void done.then(() => reactor.running && reactor.stop());
  await reactor.run();
  clearTimeout(timer);
}

function echoFactory(): RecordingFactory<Recorder> {
  return new RecordingFactory(() => {
    const protocol = new Recorder();
    protocol.onData = (data) => protocol.transport?.write(data);
    return protocol;
  });
}

describe.each(REACTORS)('%s TCP', (_name, Reactor) => {
  it('connects a client to a server: made, data both ways in order, clean close on both ends', async () => {
    reactor = new Reactor();
    const server = echoFactory();
    const port = reactor.listenTCP(0, server);
    expect(port.getHost()).toEqual({ type: 'TCP', host: '127.0.0.1', port: port.getHost().port });
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const client = new RecordingFactory(() => {
      const protocol = new Recorder();
      protocol.onMade = () => protocol.transport?.writeSequence(['one ', 'two ', 'three']);
      protocol.onData = () => {
        if (protocol.data.length === 13) protocol.transport?.loseConnection();
      };
      protocol.onLost = finished;
      return protocol;
    });
    reactor.connectTCP('127.0.0.1', port.getHost().port, client);
    await runUntil(done);
    await port.stopListening();
    expect(client.protocols[0].data.toString()).toBe('one two three');
    expect(client.protocols[0].events).toEqual(['made', 'lost ConnectionDone']);
    expect(client.events).toEqual(['start', 'startedConnecting', 'lost ConnectionDone', 'stop']);
    expect(server.events).toEqual(['start', 'stop']);
    expect(client.protocols[0].transport?.getPeer()).toEqual(port.getHost());
  });

  it('logs a buildProtocol that throws (a string too), closes that connection and keeps listening', async () => {
    reactor = new Reactor();
    const lines: string[] = [];
    const previous = setErrorLogger((line) => void lines.push(line));
    try {
      let calls = 0;
      const server = new RecordingFactory(() => {
        calls++;
        if (calls === 1) throw 'no protocol for you';
        return new Recorder();
      });
      const port = reactor.listenTCP(0, server);
      let lostCount = 0;
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      const client = new RecordingFactory(() => {
        const protocol = new Recorder();
        protocol.onMade = () => {
          if (lostCount === 1) protocol.transport?.loseConnection();
        };
        protocol.onLost = () => {
          lostCount++;
          if (lostCount === 1) reactor.connectTCP('127.0.0.1', port.getHost().port, client);
          else finished();
        };
        return protocol;
      });
      reactor.connectTCP('127.0.0.1', port.getHost().port, client);
      await runUntil(done);
      await port.stopListening();
      expect(lines).toEqual(['Unhandled Error in buildProtocol:\nno protocol for you']);
      expect(calls).toBe(2);
      expect(client.protocols.map((p) => p.events.at(-1))).toEqual(['lost ConnectionDone', 'lost ConnectionDone']);
    } finally {
      setErrorLogger(previous);
    }
  });

  it('drops a connection whose connectionMade throws, logs it, and keeps accepting', async () => {
    reactor = new Reactor();
    const lines: string[] = [];
    const previous = setErrorLogger((line) => void lines.push(line));
    try {
      let built = 0;
      const server = new RecordingFactory(() => {
        const protocol = new Recorder();
        if (++built === 1) {
          protocol.onMade = () => {
            throw new RangeError('not today');
          };
        } else {
          protocol.onMade = () => {
            protocol.transport?.write(Buffer.from('poem'));
            protocol.transport?.loseConnection();
          };
        }
        return protocol;
      });
      const port = reactor.listenTCP(0, server);
      await port.whenListening();
      // The dropped client sees its connection reset; the next one, made after, gets its poem.
      const first = fetchAll(port.getHost().port).then((data) => data.toString(), (error: NodeJS.ErrnoException) => error.code);
      let listening = false;
      const second = first.then(() => {
        listening = reactor.getReaders().includes(port);
        return fetchAll(port.getHost().port).then((data) => data.toString());
      });
      await runUntil(second);
      expect(listening).toBe(true);
      expect(await second).toBe('poem');
      await port.stopListening();
      expect(await first).toBe('ECONNRESET');
      expect(server.protocols[0].events).toEqual(['made', 'lost ConnectionAborted']);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Unhandled Error in Recorder connectionMade:\nRangeError: not today\n/);
      expectClean(reactor);
    } finally {
      setErrorLogger(previous);
    }
  });

  it('carries 1 MB written in one call intact, and closes only after it is sent', async () => {
    reactor = new Reactor();
    const payload = Buffer.alloc(1 << 20);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) % 253;
    const server = new RecordingFactory(() => {
      const protocol = new Recorder();
      protocol.onMade = () => {
        protocol.transport?.write(payload);
        protocol.transport?.loseConnection();
      };
      return protocol;
    });
    const port = reactor.listenTCP(0, server);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const client = new RecordingFactory(() => Object.assign(new Recorder(), { onLost: finished }));
    reactor.connectTCP('127.0.0.1', port.getHost().port, client);
    await runUntil(done);
    await port.stopListening();
    expect(client.protocols[0].data.equals(payload)).toBe(true);
    expect(client.protocols[0].reason?.value).toBeInstanceOf(ConnectionDone);
  });

  it('half-closes: the peer reads end of stream and can still answer; a half-closeable protocol hears both halves end', async () => {
    reactor = new Reactor();
    const server = new RecordingFactory(() => {
      const protocol = Object.assign(new Recorder(), {
        readConnectionLost(): void {
          protocol.events.push('read lost');
          protocol.transport?.write(`got ${protocol.data.length} bytes`);
          protocol.transport?.loseConnection();
        },
      });
      return protocol;
    });
    const port = reactor.listenTCP(0, server);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const client = new RecordingFactory(() => {
      const protocol = Object.assign(new Recorder(), {
        readConnectionLost(): void {
          protocol.events.push('read lost');
          protocol.transport?.loseConnection();
        },
        writeConnectionLost(): void {
          protocol.events.push('write lost');
        },
      });
      protocol.onMade = () => {
        protocol.transport?.write('question');
        (protocol.transport as ITCPTransport).loseWriteConnection();
      };
      protocol.onLost = finished;
      return protocol;
    });
    reactor.connectTCP('127.0.0.1', port.getHost().port, client);
    await runUntil(done);
    await port.stopListening();
    expect(client.protocols[0].data.toString()).toBe('got 8 bytes');
    expect(server.protocols[0].events).toEqual(['made', 'read lost', 'lost ConnectionDone']);
    expect(client.protocols[0].events).toEqual(['made', 'write lost', 'read lost', 'lost ConnectionDone']);
  });

  it('aborts: the local side loses with ConnectionAborted, the peer with ConnectionLost', async () => {
    reactor = new Reactor();
    let serverLost!: () => void;
    const serverDone = new Promise<void>((resolve) => (serverLost = resolve));
    const server = new RecordingFactory(() => Object.assign(new Recorder(), { onLost: serverLost }));
    const port = reactor.listenTCP(0, server);
    const client = new RecordingFactory(() => {
      const protocol = new Recorder();
      protocol.onMade = () => protocol.transport?.abortConnection();
      return protocol;
    });
    reactor.connectTCP('127.0.0.1', port.getHost().port, client);
    await runUntil(serverDone);
    await port.stopListening();
    expect(client.protocols[0].reason?.value).toBeInstanceOf(ConnectionAborted);
    expect(server.protocols[0].events.at(-1)).toMatch(/^lost Connection(Lost|Done)$/);
  });

  it('reports a refused connection to clientConnectionFailed', async () => {
    reactor = new Reactor();
    const port = await freePort();
    const client = new RecordingFactory(() => new Recorder());
    const failed = new Promise<void>((resolve) => {
      client.clientConnectionFailed = (_c, reason) => {
        client.failure = reason;
        resolve();
      };
    });
    reactor.connectTCP('127.0.0.1', port, client);
    await runUntil(failed);
    expect(client.failure?.value).toBeInstanceOf(ConnectionRefusedError);
    expect(client.protocols).toEqual([]);
  });

  it('gives up after the connect timeout with ConnectTimeoutError', async () => {
    reactor = new Reactor();
    // A listener that never accepts, its queue already full: further SYNs go unanswered.
    const python = await startProgram(PYTHON, [
      '-c',
      'import socket,sys,time\ns=socket.socket();s.bind(("127.0.0.1",0));s.listen(0)\np=s.getsockname()[1]\n' +
        'c=socket.create_connection(("127.0.0.1",p))\nprint("Full on port %d." % p,flush=True);time.sleep(60)',
    ]);
    try {
      const port = python.port;
      const client = new RecordingFactory(() => new Recorder());
      const failed = new Promise<void>((resolve) => {
        client.clientConnectionFailed = (_c, reason) => {
          client.failure = reason;
          resolve();
        };
      });
      const started = reactor.seconds();
      reactor.connectTCP('127.0.0.1', port, client, 0.3);
      await runUntil(failed);
      expect(client.failure?.value).toBeInstanceOf(ConnectTimeoutError);
      expect(reactor.seconds() - started).toBeGreaterThanOrEqual(0.29);
    } finally {
      await python.stop('SIGKILL');
    }
  });

  it('reports a host that does not resolve as DNSLookupError', async () => {
    reactor = new Reactor();
    const client = new RecordingFactory(() => new Recorder());
    const failed = new Promise<void>((resolve) => {
      client.clientConnectionFailed = (_c, reason) => {
        client.failure = reason;
        resolve();
      };
    });
    reactor.connectTCP('no-such-host.invalid', 10000, client);
    await runUntil(failed);
    expect(client.failure?.value).toBeInstanceOf(DNSLookupError);
  });

  it('keeps serving others while one client never reads; what waits for it stays bounded', async () => {
    reactor = new Reactor();
    const big = Buffer.alloc(4 << 20, 0x61); // 4 MiB, far more than the socket buffers hold
    const transports: Array<{ bufferSize: number }> = [];
    const server = new RecordingFactory(() => {
      const protocol = new Recorder();
      protocol.onMade = () => {
        transports.push(protocol.transport as unknown as { bufferSize: number });
        protocol.transport?.write(big);
        protocol.transport?.loseConnection();
      };
      return protocol;
    });
    const port = reactor.listenTCP(0, server);
    // A client that connects and never reads a byte.
    const stalled = net.connect(port.getHost().port, '127.0.0.1');
    stalled.pause();
    await new Promise((resolve) => stalled.once('connect', resolve));
    const readers = Promise.all(
      Array.from({ length: 3 }, () =>
        new Promise<number>((resolve) => {
          let got = 0;
          const socket = net.connect(port.getHost().port, '127.0.0.1');
          socket.on('data', (d) => (got += d.length));
          socket.on('end', () => resolve(got));
        }),
      ),
    );
    await runUntil(readers);
    expect(await readers).toEqual([big.length, big.length, big.length]);
    // The stalled client's data waits in its transport: never more than what was written to it.
    expect(transports[0].bufferSize).toBeGreaterThan(0);
    expect(transports[0].bufferSize).toBeLessThanOrEqual(big.length);
    stalled.destroy();
    // Let the server see the stalled client go, so nothing is left behind.
    reactor.callLater(0.05, () => reactor.stop());
    await reactor.run();
    await port.stopListening();
  });

  it('raises CannotListenError for a port in use and for an interface it cannot bind', async () => {
    reactor = new Reactor();
    const taken = await occupy();
    try {
      expect(() => reactor.listenTCP(taken.port, echoFactory())).toThrow(CannotListenError);
      expect(() => reactor.listenTCP(taken.port, echoFactory())).toThrow(/^Couldn't listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
    } finally {
      await taken.close();
    }
    expect(() => reactor.listenTCP(0, echoFactory(), { interface: '192.0.2.1' })).toThrow(CannotListenError);
  });

  it('serves many clients at once, and keeps serving when one resets mid-stream', async () => {
    reactor = new Reactor();
    const port = reactor.listenTCP(0, echoFactory());
    const clients = 50;
    const results = Promise.all(
      Array.from({ length: clients }, (_, i) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(port.getHost().port, '127.0.0.1');
          let got = '';
          socket.on('data', (d) => {
            got += d.toString();
            if (i === 0) socket.resetAndDestroy(); // this one vanishes
            else if (got.length === 8) socket.end();
          });
          socket.on('close', () => resolve(got));
          socket.on('error', (e) => (i === 0 ? resolve('reset') : reject(e)));
          socket.write(`client ${i % 10}`);
        }),
      ),
    );
    await runUntil(results);
    const answers = await results;
    await port.stopListening();
    expect(answers.slice(1)).toEqual(Array.from({ length: clients - 1 }, (_, i) => `client ${(i + 1) % 10}`));
  });

  it('closes every connection and port when stopped', async () => {
    reactor = new Reactor();
    const server = echoFactory();
    const port = reactor.listenTCP(0, server);
    const client = new RecordingFactory(() => {
      const protocol = new Recorder();
      protocol.onMade = () => reactor.callLater(0.01, () => reactor.stop());
      return protocol;
    });
    reactor.connectTCP('127.0.0.1', port.getHost().port, client);
    await reactor.run();
    expect(client.protocols[0].events).toEqual(['made', 'lost ConnectionLost']);
    expect(server.events).toEqual(['start', 'stop']);
    // The port is free again.
    const again = reactor.listenTCP(port.getHost().port, echoFactory());
    await again.stopListening();
  });
  // Issue 8, defect 1: one client that connected and reset at once (SO_LINGER 0) closed the
  // port, and the server program then exited 0.
  it('keeps listening when clients reset before they are accepted, and serves the next one', async () => {
    reactor = new Reactor();
    const server = new RecordingFactory(() => {
      const protocol = new Recorder();
      protocol.onMade = () => {
        protocol.transport?.write('poem');
        protocol.transport?.loseConnection();
      };
      return protocol;
    });
    const port = reactor.listenTCP(0, server);
    const { port: number } = port.getHost();
    let failed: Error | undefined;
    void port.whenFailed().then((error) => (failed = error));
    // Node listens a turn after listenTCP: the resets must find the port listening.
    await port.whenListening();
    let resets: SpawnSyncReturns<string> | undefined;
    reactor.callWhenRunning(() => {
      // Blocks this thread, so the three resets are in the queue before the port accepts them.
      resets = spawnSync(PYTHON, ['-c', RESET_THREE_TIMES, String(number)], { encoding: 'utf8' });
    });
    let listening = false;
    const fetched = new Promise<Buffer>((resolve, reject) => {
      reactor.callLater(0.05, () => fetchAll(number).then(resolve, reject));
    }).finally(() => (listening = reactor.getReaders().includes(port)));
    await runUntil(fetched);
    expect(resets?.status, quoteOutput(resets?.stderr ?? '')).toBe(0);
    expect((await fetched).toString()).toBe('poem');
    expect(failed).toBeUndefined();
    expect(listening).toBe(true);
    expect(server.events).toEqual(['start', 'stop']);
  });

  it('reports a listening socket that fails through whenFailed, and closes the port', async () => {
    reactor = new Reactor();
    const port = reactor.listenTCP(0, echoFactory());
    // Node listens a turn later: take the address first, so that listening fails (EADDRINUSE).
    const thief = BlockingServerSocket.listen('127.0.0.1', port.getHost().port, 1);
    try {
      const failed = port.whenFailed();
      await runUntil(failed);
      expect(await failed).toMatchObject({ code: 'EADDRINUSE' });
      expect(reactor.getReaders()).toEqual([]);
    } finally {
      thief.close();
    }
  });

  it('drops a connection whose protocol throws anything, undefined and 0 included', async () => {
    for (const thrown of [undefined, 0, new Error('boom')]) {
      reactor = new Reactor();
      const server = new RecordingFactory(() => {
        const protocol = new Recorder();
        protocol.onData = () => {
          throw thrown;
        };
        return protocol;
      });
      const port = reactor.listenTCP(0, server);
      const closed = new Promise<void>((resolve, reject) => {
        const socket: net.Socket = net.connect({ host: '127.0.0.1', port: port.getHost().port }, () => socket.write('x'));
        socket.on('close', () => resolve());
        socket.on('error', reject);
        socket.resume();
      });
      await runUntil(closed);
      await port.stopListening();
      expect(server.protocols[0].events).toEqual(['made', expect.stringMatching(/^lost/)]);
      expect(server.protocols[0].reason?.value).toBe(thrown);
      expectClean(reactor);
    }
  });
});
