// Tests for the test doubles (chapter 15): StringTransport, StringTransportWithDisconnection and
// MemoryReactor, after twisted/test/test_stringtransport.py.
import { describe, expect, it } from 'vitest';
import type { Failure } from '../../lib/defer/failure';
import { ClientFactory, Factory, ServerFactory } from '../../lib/protocol/factory';
import { LineReceiver } from '../../lib/protocol/line-receiver';
import { Protocol } from '../../lib/protocol/protocol';
import {
  MemoryReactor,
  StringTransport,
  StringTransportWithDisconnection,
} from '../../lib/protocol/testing';
import { ConnectionDone, ConnectionLost, ReactorAlreadyRunning, ReactorNotRunning } from '../../lib/reactor/errors';
import type { IConnector, IReactorCore, IReactorTCP, IReactorTime, ITransport } from '../../lib/reactor/interfaces';

describe('StringTransport.write / value / clear', () => {
  it('keeps every byte written, strings as UTF-8, until clear', () => {
    const transport: ITransport = new StringTransport();
    transport.write('héllo ');
    transport.write(new Uint8Array([0x77, 0x6f]));
    transport.writeSequence(['rld', Buffer.from('!')]);
    const fake = transport as StringTransport;
    expect(fake.value().toString()).toBe('héllo world!');
    fake.clear();
    expect(fake.value()).toEqual(Buffer.alloc(0));
    fake.write('again');
    expect(fake.value().toString()).toBe('again');
  });

  it('copies what it is given', () => {
    const transport = new StringTransport();
    const data = Buffer.from('abc');
    transport.write(data);
    data.fill(0x7a);
    expect(transport.value().toString()).toBe('abc');
  });

  it('rejects what is neither bytes nor a string with a TypeError', () => {
    expect(() => new StringTransport().write(42 as unknown as string)).toThrow(
      new TypeError('Expected `data` to be a Uint8Array or a string, got `42` (number)'),
    );
  });
});

describe('StringTransport.loseConnection / abortConnection', () => {
  it('loseConnection sets disconnecting only', () => {
    const transport = new StringTransport();
    expect([transport.disconnecting, transport.disconnected]).toEqual([false, false]);
    transport.loseConnection();
    expect([transport.disconnecting, transport.disconnected, transport.connected]).toEqual([true, false, true]);
  });

  it('abortConnection sets disconnected and disconnecting', () => {
    const transport = new StringTransport();
    transport.abortConnection();
    expect([transport.disconnecting, transport.disconnected]).toEqual([true, true]);
  });
});

describe('StringTransport.getHost / getPeer', () => {
  it('default to loopback addresses', () => {
    const transport = new StringTransport();
    expect(transport.getHost()).toEqual({ type: 'TCP', host: '127.0.0.1', port: 12345 });
    expect(transport.getPeer()).toEqual({ type: 'TCP', host: '127.0.0.1', port: 54321 });
  });

  it('return the addresses given', () => {
    const hostAddress = { type: 'TCP', host: '10.0.0.1', port: 10000 } as const;
    const peerAddress = { type: 'TCP', host: '::1', port: 40000 } as const;
    const transport = new StringTransport({ hostAddress, peerAddress });
    expect([transport.getHost(), transport.getPeer()]).toEqual([hostAddress, peerAddress]);
  });
});

describe('StringTransport.pauseProducing / resumeProducing / stopProducing', () => {
  it('records the producer state', () => {
    const transport = new StringTransport();
    expect(transport.producerState).toBe('producing');
    transport.pauseProducing();
    expect(transport.producerState).toBe('paused');
    transport.resumeProducing();
    expect(transport.producerState).toBe('producing');
    transport.stopProducing();
    expect(transport.producerState).toBe('stopped');
  });

  it('refuses to pause or resume a stopped producer', () => {
    const transport = new StringTransport();
    transport.stopProducing();
    expect(() => transport.resumeProducing()).toThrow('Cannot resume a stopped producer');
    expect(() => transport.pauseProducing()).toThrow('Cannot resume a stopped producer');
  });

  it('refuses to resume after loseConnection, unless lenient', () => {
    const strict = new StringTransport();
    strict.loseConnection();
    expect(() => strict.resumeProducing()).toThrow('Cannot resume producing after loseConnection');
    const lenient = new StringTransport({ lenient: true });
    lenient.loseConnection();
    lenient.pauseProducing();
    lenient.resumeProducing();
    expect(lenient.producerState).toBe('producing');
  });
});

class Recorder extends Protocol {
  reasons: Failure[] = [];
  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.reasons.push(reason);
  }
}

function connectWithDisconnection(): { transport: StringTransportWithDisconnection; protocol: Recorder } {
  const transport = new StringTransportWithDisconnection();
  const protocol = new Recorder();
  transport.protocol = protocol;
  protocol.makeConnection(transport);
  return { transport, protocol };
}

describe('StringTransportWithDisconnection.loseConnection', () => {
  it("calls the protocol's connectionLost with ConnectionDone, once", () => {
    const { transport, protocol } = connectWithDisconnection();
    transport.loseConnection();
    transport.loseConnection();
    expect(protocol.reasons).toHaveLength(1);
    expect(protocol.reasons[0].check(ConnectionDone)).toBe(ConnectionDone);
    expect(protocol.reasons[0].getErrorMessage()).toBe('Bye.');
    expect([transport.disconnecting, transport.connected, protocol.connected]).toEqual([true, false, false]);
  });

  it('throws when no protocol was set', () => {
    expect(() => new StringTransportWithDisconnection().loseConnection()).toThrow(
      'StringTransportWithDisconnection.protocol must be set before closing',
    );
  });
});

describe('StringTransportWithDisconnection.abortConnection', () => {
  it("calls the protocol's connectionLost with ConnectionLost", () => {
    const { transport, protocol } = connectWithDisconnection();
    transport.abortConnection();
    expect(protocol.reasons.map((reason) => reason.check(ConnectionDone, ConnectionLost))).toEqual([ConnectionLost]);
    expect(transport.disconnected).toBe(true);
  });
});

describe('MemoryReactor.listenTCP', () => {
  it('records [port, factory, backlog, interface], starts the factory and returns a fake port', () => {
    const reactor: IReactorTCP = new MemoryReactor();
    const factory = Factory.forProtocol(Protocol);
    const port = reactor.listenTCP(10000, factory, { backlog: 5, interface: '0.0.0.0' });
    reactor.listenTCP(0, factory);
    const memory = reactor as MemoryReactor;
    expect(memory.tcpServers).toEqual([
      [10000, factory, 5, '0.0.0.0'],
      [0, factory, 511, '127.0.0.1'],
    ]);
    expect(factory.numPorts).toBe(2);
    expect(port.getHost()).toEqual({ type: 'TCP', host: '0.0.0.0', port: 10000 });
    expect(memory.ports[1].getHost()).toEqual({ type: 'TCP', host: '127.0.0.1', port: 49153 });
  });

  it("gives ports whose stopListening fires at once and stops the factory's use, once", () => {
    const reactor = new MemoryReactor();
    const events: string[] = [];
    class Watched extends ServerFactory {
      override stopFactory(): void {
        events.push('stopped');
      }
    }
    const port = reactor.listenTCP(10000, Watched.forProtocol(Protocol));
    const stopped = port.stopListening();
    port.stopListening();
    expect(stopped.called).toBe(true);
    expect(port.listening).toBe(false);
    expect(events).toEqual(['stopped']);
  });
});

describe('MemoryReactor.connectTCP', () => {
  it('records [host, port, factory, timeout] and tells the factory it started connecting', () => {
    const reactor = new MemoryReactor();
    const started: IConnector[] = [];
    class Client extends ClientFactory {
      override startedConnecting(connector: IConnector): void {
        started.push(connector);
      }
    }
    const factory = Client.forProtocol(Protocol);
    const connector = reactor.connectTCP('poetry.example', 10001, factory);
    reactor.connectTCP('127.0.0.1', 10002, factory, 5);
    expect(reactor.tcpClients).toEqual([
      ['poetry.example', 10001, factory, 30],
      ['127.0.0.1', 10002, factory, 5],
    ]);
    expect(started).toEqual(reactor.connectors);
    expect(connector.getDestination()).toEqual({ type: 'TCP', host: 'poetry.example', port: 10001 });
  });

  it('gives connectors that record what they are asked', () => {
    const connector = new MemoryReactor().connectTCP('127.0.0.1', 1, new ClientFactory());
    connector.stopConnecting();
    connector.connect();
    connector.disconnect();
    expect(connector).toMatchObject({ stoppedConnecting: true, connectCalls: 1, disconnected: true });
  });
});

describe('MemoryReactor.run / stop / callWhenRunning', () => {
  it('runs the hooks, then stops, recording flags', async () => {
    const reactor: IReactorCore = new MemoryReactor();
    const seen: string[] = [];
    reactor.callWhenRunning((word: string) => seen.push(`${word} ${reactor.running}`), 'hook');
    const memory = reactor as MemoryReactor;
    expect([memory.hasRun, memory.hasStopped, seen]).toEqual([false, false, []]);
    await reactor.run();
    expect(seen).toEqual(['hook true']);
    expect([reactor.running, memory.hasRun, memory.hasStopped]).toEqual([false, true, true]);
    expect(memory.whenRunningHooks).toHaveLength(1);
  });

  it('runs a hook added while running at once, and each hook only once across runs', async () => {
    const reactor = new MemoryReactor();
    const seen: string[] = [];
    reactor.callWhenRunning(() => {
      seen.push('first');
      reactor.callWhenRunning(() => seen.push('nested'));
      seen.push('after nested');
    });
    await reactor.run();
    reactor.callWhenRunning(() => seen.push('second run'));
    await reactor.run();
    expect(seen).toEqual(['first', 'nested', 'after nested', 'second run']);
  });

  it('lets a hook stop the reactor', async () => {
    const reactor = new MemoryReactor();
    reactor.callWhenRunning(() => reactor.stop());
    await reactor.run();
    expect(reactor.hasStopped).toBe(true);
  });

  it('throws ReactorNotRunning from stop when not running, and rejects a nested run', async () => {
    const reactor = new MemoryReactor();
    expect(() => reactor.stop()).toThrow(ReactorNotRunning);
    let nested: Promise<void> | undefined;
    reactor.callWhenRunning(() => {
      nested = reactor.run();
    });
    await reactor.run();
    await expect(nested).rejects.toThrow(ReactorAlreadyRunning);
  });
});

describe('MemoryReactor.callLater / advance', () => {
  it('schedules on its clock, which moves only with advance', () => {
    const reactor: IReactorTime = new MemoryReactor();
    const seen: number[] = [];
    reactor.callLater(2, (n: number) => seen.push(n), 2);
    reactor.callLater(1, (n: number) => seen.push(n), 1);
    expect(reactor.getDelayedCalls()).toHaveLength(2);
    const memory = reactor as MemoryReactor;
    memory.advance(1.5);
    expect([seen, reactor.seconds()]).toEqual([[1], 1.5]);
    memory.clock.advance(1);
    expect(seen).toEqual([1, 2]);
    expect(reactor.getDelayedCalls()).toEqual([]);
  });
});

describe('MemoryReactor with StringTransport (a server tested without sockets)', () => {
  it('serves a line protocol built from the recorded factory', () => {
    class Shout extends LineReceiver {
      override lineReceived(line: string): void {
        this.sendLine(line.toUpperCase());
        if (line === 'bye') this.transport.loseConnection();
      }
    }
    const reactor = new MemoryReactor();
    reactor.listenTCP(10000, Factory.forProtocol(Shout));
    const [, factory] = reactor.tcpServers[0];
    const transport = new StringTransport();
    const protocol = factory.buildProtocol(transport.getPeer())!;
    protocol.makeConnection(transport);
    protocol.dataReceived(Buffer.from('hello\r\nbye\r\nignored\r\n'));
    expect(transport.value().toString()).toBe('HELLO\r\nBYE\r\n');
    expect(transport.disconnecting).toBe(true);
  });
});
