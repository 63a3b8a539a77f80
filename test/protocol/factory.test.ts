// Tests for Factory, ServerFactory and ClientFactory (chapter 05), after
// twisted/internet/test/test_protocol.py (FactoryTests, ClientFactoryTests).
import { describe, expect, it } from 'vitest';
import { Failure } from '../../lib/defer/failure';
import { ClientFactory, Factory, ServerFactory } from '../../lib/protocol/factory';
import { Protocol } from '../../lib/protocol/protocol';
import { FakeConnector } from '../../lib/protocol/testing';
import { ConnectionRefusedError } from '../../lib/reactor/errors';
import type { IAddress } from '../../lib/reactor/interfaces';

const ADDRESS: IAddress = { type: 'TCP', host: '127.0.0.1', port: 10000 };

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport.write(data);
  }
}

describe('Factory.buildProtocol', () => {
  it('makes a new protocol of class `protocol` each time and sets its factory', () => {
    const factory = new Factory();
    factory.protocol = Echo;
    const first = factory.buildProtocol(ADDRESS);
    const second = factory.buildProtocol(ADDRESS);
    expect(first).toBeInstanceOf(Echo);
    expect(second).not.toBe(first);
    expect((first as Echo).factory).toBe(factory);
  });

  it('uses the class a subclass sets', () => {
    class EchoFactory extends ServerFactory {
      override protocol = Echo;
    }
    const factory = new EchoFactory();
    expect(factory).toBeInstanceOf(Factory);
    expect((factory.buildProtocol(ADDRESS) as Echo).factory).toBe(factory);
  });

  it('throws a TypeError when no protocol class is set', () => {
    expect(() => new Factory().buildProtocol(ADDRESS)).toThrow(
      new TypeError('Expected `protocol` to be a protocol class, got `undefined` (undefined)'),
    );
  });

  it('may be overridden to refuse a connection with null', () => {
    class Refusing extends Factory {
      override buildProtocol(addr: IAddress): null {
        return null;
      }
    }
    expect(Refusing.forProtocol(Echo).buildProtocol(ADDRESS)).toBeNull();
  });
});

describe('Factory.doStart / Factory.doStop', () => {
  class Counting extends Factory {
    events: string[] = [];
    override startFactory(): void {
      this.events.push('start');
    }
    override stopFactory(): void {
      this.events.push('stop');
    }
  }

  it('calls startFactory for the first port and stopFactory after the last, counting numPorts', () => {
    const factory = new Counting();
    factory.doStart();
    factory.doStart();
    expect(factory.numPorts).toBe(2);
    expect(factory.events).toEqual(['start']);
    factory.doStop();
    expect(factory.events).toEqual(['start']);
    factory.doStop();
    expect(factory.numPorts).toBe(0);
    expect(factory.events).toEqual(['start', 'stop']);
    factory.doStart();
    expect(factory.events).toEqual(['start', 'stop', 'start']);
  });

  it('ignores a doStop with no port left, as Twisted does', () => {
    const factory = new Counting();
    factory.doStop();
    expect(factory.numPorts).toBe(0);
    expect(factory.events).toEqual([]);
  });
});

describe('Factory.forProtocol', () => {
  it('makes a factory of the class it is called on, with `protocol` set', () => {
    const factory = Factory.forProtocol(Echo);
    expect(factory).toBeInstanceOf(Factory);
    expect(factory.protocol).toBe(Echo);
    const client = ClientFactory.forProtocol(Echo);
    expect(client).toBeInstanceOf(ClientFactory);
    expect(client.buildProtocol(ADDRESS)).toBeInstanceOf(Echo);
  });

  it("passes the other arguments to the factory's constructor", () => {
    class PoetryFactory extends ServerFactory {
      constructor(readonly poem: string) {
        super();
      }
    }
    const factory = PoetryFactory.forProtocol(Echo, 'a poem');
    expect(factory.poem).toBe('a poem');
    expect(factory.protocol).toBe(Echo);
  });
});

describe('ClientFactory', () => {
  it('does nothing by default on startedConnecting, clientConnectionFailed, clientConnectionLost', () => {
    const factory = ClientFactory.forProtocol(Echo);
    const connector = new FakeConnector(ADDRESS);
    const reason = new Failure(new ConnectionRefusedError());
    expect(factory.startedConnecting(connector)).toBeUndefined();
    expect(factory.clientConnectionFailed(connector, reason)).toBeUndefined();
    expect(factory.clientConnectionLost(connector, reason)).toBeUndefined();
    expect(connector).toMatchObject({ connectCalls: 0, disconnected: false, stoppedConnecting: false });
  });
});

describe('Factory.logPrefix', () => {
  it('is the class name', () => {
    expect(new ClientFactory().logPrefix()).toBe('ClientFactory');
  });
});
