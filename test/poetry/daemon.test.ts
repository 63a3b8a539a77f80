// Tests for the parts of a long-running service (lib/poetry/daemon.ts, chapter 16): the pidfile,
// the log file, the count of open connections, the graceful stop (with a MemoryReactor and its
// Clock), and the fast server 2.0's protocol (with a StringTransport). The program itself is
// tested in test/cli/daemon.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Failure } from '../../lib/defer/failure';
import {
  AlreadyRunningError,
  DaemonError,
  FileLog,
  isRunning,
  LoggingFastPoetryFactory,
  LoggingFastPoetryProtocol,
  OpenConnections,
  Pidfile,
  stopGracefully,
} from '../../lib/poetry/daemon';
import { MemoryReactor, StringTransport } from '../../lib/protocol/testing';
import { ConnectionDone } from '../../lib/reactor/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'daemon-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The id of a process that has exited (a short-lived child). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('isRunning', () => {
  it('is true for this process and false for one that has exited', () => {
    expect(isRunning(process.pid)).toBe(true);
    expect(isRunning(deadPid())).toBe(false);
  });
});

describe('Pidfile.claim', () => {
  it('writes the pid and a newline, and remove() deletes the file', () => {
    const file = path.join(dir, 'server.pid');
    const pidfile = Pidfile.claim(file, 4242);
    expect(readFileSync(file, 'utf8')).toBe('4242\n');
    expect(pidfile.replaced).toBeUndefined();
    pidfile.remove();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a pidfile that names a live process, and leaves it alone', () => {
    const file = path.join(dir, 'server.pid');
    writeFileSync(file, `${process.pid}\n`);
    let error: unknown;
    try {
      Pidfile.claim(file, 4242);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlreadyRunningError);
    expect((error as AlreadyRunningError).pid).toBe(process.pid);
    expect((error as Error).message).toBe(`another server is running, PID ${process.pid} (from pidfile ${file})`);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('replaces a stale pidfile, whose process has gone, and says whose it was', () => {
    const file = path.join(dir, 'server.pid');
    const dead = deadPid();
    writeFileSync(file, String(dead));
    const pidfile = Pidfile.claim(file, 4242);
    expect(pidfile.replaced).toBe(dead);
    expect(readFileSync(file, 'utf8')).toBe('4242\n');
  });

  it('refuses a pidfile without a process id, and one it cannot write', () => {
    const garbage = path.join(dir, 'garbage.pid');
    writeFileSync(garbage, 'hello');
    expect(() => Pidfile.claim(garbage, 4242)).toThrow(/contains no process id: `hello`/);
    expect(() => Pidfile.claim(path.join(dir, 'no', 'such', 'dir.pid'), 4242)).toThrow(DaemonError);
    expect(() => Pidfile.claim(path.join(dir, 'no', 'such', 'dir.pid'), 4242)).toThrow(/cannot write pidfile .* \(ENOENT\)/);
  });

  it('remove() leaves a pidfile that another process has claimed since', () => {
    const file = path.join(dir, 'server.pid');
    const pidfile = Pidfile.claim(file, 4242);
    writeFileSync(file, '4343\n');
    pidfile.remove();
    expect(readFileSync(file, 'utf8')).toBe('4343\n');
  });
});

describe('FileLog', () => {
  it('appends time-stamped lines, keeps what was there, and ignores lines after close', () => {
    const file = path.join(dir, 'server.log');
    writeFileSync(file, 'an earlier line\n');
    let t = Date.UTC(2024, 4, 1, 9, 30, 0, 0);
    const log = new FileLog(file, { now: () => new Date((t += 1500)) });
    log.msg('first');
    expect(readFileSync(file, 'utf8')).toBe('an earlier line\n2024-05-01T09:30:01.500Z first\n');
    log.msg('second');
    log.close();
    log.msg('after close');
    log.close();
    expect(readFileSync(file, 'utf8').split('\n')).toEqual([
      'an earlier line',
      '2024-05-01T09:30:01.500Z first',
      '2024-05-01T09:30:03.000Z second',
      '',
    ]);
  });

  it('throws a DaemonError when the file cannot be opened', () => {
    expect(() => new FileLog(path.join(dir, 'no', 'such.log'))).toThrow(/cannot open log file .* \(ENOENT\)/);
  });
});

/** A transport whose abortConnection tells `connections` it closed a turn later, as a real one. */
function transportIn(connections: OpenConnections, reactor?: MemoryReactor): StringTransport {
  const transport = new StringTransport();
  transport.abortConnection = () => {
    StringTransport.prototype.abortConnection.call(transport);
    reactor?.callLater(0, () => connections.closed(transport));
  };
  connections.opened(transport);
  return transport;
}

describe('OpenConnections.whenIdle', () => {
  it('fires at once with none open, else when the last one closes', () => {
    const connections = new OpenConnections();
    expect(connections.whenIdle().called).toBe(true);
    const [a, b] = [transportIn(connections), transportIn(connections)];
    const idle = connections.whenIdle();
    connections.closed(a);
    expect([connections.count, idle.called]).toEqual([1, false]);
    connections.closed(a); // twice: still counted once
    expect([connections.count, idle.called]).toEqual([1, false]);
    connections.closed(b);
    expect([connections.count, idle.called]).toEqual([0, true]);
  });

  it('forgets a cancelled wait', () => {
    const connections = new OpenConnections();
    const transport = transportIn(connections);
    const idle = connections.whenIdle();
    idle.addErrback(() => undefined);
    idle.cancel();
    connections.closed(transport); // would throw AlreadyCalledError if the cancelled one were fired again
    expect(connections.count).toBe(0);
  });
});

describe('OpenConnections.abortAll', () => {
  it('aborts every open connection', () => {
    const connections = new OpenConnections();
    const transports = [transportIn(connections), transportIn(connections)];
    connections.abortAll();
    expect(transports.map((t) => t.disconnected)).toEqual([true, true]);
  });
});

describe('stopGracefully', () => {
  function running(): { reactor: MemoryReactor; connections: OpenConnections } {
    const reactor = new MemoryReactor();
    reactor.running = true;
    return { reactor, connections: new OpenConnections() };
  }

  it('stops listening at once, and stops the reactor when the connections under way are done', () => {
    const { reactor, connections } = running();
    const port = reactor.listenTCP(0, new LoggingFastPoetryFactory(Buffer.from('poem')));
    const [a, b] = [transportIn(connections, reactor), transportIn(connections, reactor)];
    let cut: number | undefined;
    stopGracefully(port, connections, reactor).addCallback((n) => {
      cut = n;
    });
    expect([port.listening, reactor.running]).toEqual([false, true]);
    connections.closed(a);
    expect(reactor.running).toBe(true);
    connections.closed(b);
    expect([reactor.running, cut]).toEqual([false, 0]);
    expect([a.disconnected, b.disconnected]).toEqual([false, false]);
    expect(reactor.getDelayedCalls()).toEqual([]);
  });

  it('after the grace period aborts the connections left, and stops the reactor once they are gone', () => {
    const { reactor, connections } = running();
    const port = reactor.listenTCP(0, new LoggingFastPoetryFactory(Buffer.from('poem')));
    const stalled = transportIn(connections, reactor);
    let cut: number | undefined;
    stopGracefully(port, connections, reactor, 5).addCallback((n) => {
      cut = n;
    });
    reactor.advance(4.9);
    expect([reactor.running, stalled.disconnected]).toEqual([true, false]);
    reactor.advance(0.1); // aborted, then its connectionLost a turn later (the Clock runs both)
    expect([stalled.disconnected, reactor.running, cut, connections.count]).toEqual([true, false, 1, 0]);
    expect(reactor.getDelayedCalls()).toEqual([]);
  });
});

describe('LoggingFastPoetryProtocol', () => {
  it('logs one line per client with the peer, sends the poem, and counts the connection', () => {
    const lines: string[] = [];
    const factory = new LoggingFastPoetryFactory(Buffer.from('a short poem'), (line) => lines.push(line));
    const protocol = factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 1 }) as LoggingFastPoetryProtocol;
    const transport = new StringTransport({ peerAddress: { type: 'TCP', host: '127.0.0.1', port: 40012 } });
    protocol.makeConnection(transport);
    expect(lines).toEqual(['Sending 12 bytes of poetry to 127.0.0.1:40012']);
    expect(transport.value().toString()).toBe('a short poem');
    expect(transport.disconnecting).toBe(true);
    expect(factory.connections.count).toBe(1);
    protocol.connectionLost(new Failure(new ConnectionDone('done')));
    expect(factory.connections.count).toBe(0);
  });
});
