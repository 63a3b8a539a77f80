// Tests for lib/protocol/policies.ts (the idle timeout and the connection limit), after
// twisted/test/test_policies.py: a Clock drives the timers, StringTransports stand for sockets.
import { describe, expect, it } from 'vitest';
import { Failure } from '../../lib/defer/failure';
import { Factory } from '../../lib/protocol/factory';
import {
  LimitTotalConnectionsFactory,
  OverflowProtocol,
  ProtocolWrapper,
  TimeoutFactory,
  TimeoutMixin,
  WrappingFactory,
} from '../../lib/protocol/policies';
import { Protocol } from '../../lib/protocol/protocol';
import { StringTransportWithDisconnection } from '../../lib/protocol/testing';
import { Clock } from '../../lib/reactor/clock';
import { ConnectionDone } from '../../lib/reactor/errors';
import type { IProtocol } from '../../lib/reactor/interfaces';

const ADDR = { type: 'TCP', host: '127.0.0.1', port: 40000 } as const;

/** Records its events, echoes what it receives. */
class Echo extends Protocol {
  readonly events: string[] = [];
  override connectionMade(): void {
    this.events.push('made');
  }
  override dataReceived(data: Buffer): void {
    this.events.push(`data ${data}`);
    this.transport.write(data);
  }
  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.events.push(`lost ${(reason.value as Error).name}`);
  }
}

/** Connects `protocol` to a transport that delivers connectionLost. */
function connect(protocol: IProtocol): StringTransportWithDisconnection {
  const transport = new StringTransportWithDisconnection();
  transport.protocol = protocol;
  protocol.makeConnection(transport);
  return transport;
}

class Timed extends TimeoutMixin(Echo) {
  timedOut = 0;
  override timeoutConnection(): void {
    this.timedOut++;
    super.timeoutConnection();
  }
}

function timed(): { protocol: Timed; clock: Clock; transport: StringTransportWithDisconnection } {
  const clock = new Clock();
  const protocol = new Timed();
  protocol.clock = clock;
  return { protocol, clock, transport: connect(protocol) };
}

describe('TimeoutMixin.setTimeout', () => {
  it('aborts the connection when the period runs out, once', () => {
    const { protocol, clock, transport } = timed();
    expect(protocol.setTimeout(3)).toBe(null);
    clock.advance(2.9);
    expect([protocol.timedOut, transport.disconnected]).toEqual([0, false]);
    clock.advance(0.1);
    expect([protocol.timedOut, transport.disconnected]).toEqual([1, true]);
    expect(protocol.events).toEqual(['made', 'lost ConnectionLost']);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('moves a pending timeout and returns the previous period; null cancels it', () => {
    const { protocol, clock } = timed();
    protocol.setTimeout(3);
    clock.advance(2);
    expect(protocol.setTimeout(5)).toBe(3);
    clock.advance(4.9);
    expect(protocol.timedOut).toBe(0);
    expect(protocol.setTimeout(null)).toBe(5);
    clock.advance(100);
    expect(protocol.timedOut).toBe(0);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('can be set again after running out', () => {
    const { protocol, clock } = timed();
    protocol.setTimeout(1);
    clock.advance(1);
    protocol.setTimeout(null); // nothing pending: no AlreadyCalled
    protocol.setTimeout(2);
    clock.advance(2);
    expect(protocol.timedOut).toBe(2);
  });

  it('rejects a negative or non-number period, and a missing clock', () => {
    const { protocol } = timed();
    expect(() => protocol.setTimeout(-1)).toThrow(new TypeError('Expected `period` to be a number >= 0 or null, got `-1` (number)'));
    expect(() => protocol.setTimeout(Number.NaN)).toThrow(TypeError);
    const noClock = new Timed();
    connect(noClock);
    expect(() => noClock.setTimeout(1)).toThrow(/`clock`/);
  });
});

describe('TimeoutMixin.resetTimeout', () => {
  it('restarts the count from now', () => {
    const { protocol, clock } = timed();
    protocol.setTimeout(3);
    clock.advance(2);
    protocol.resetTimeout();
    clock.advance(2.9);
    expect(protocol.timedOut).toBe(0);
    clock.advance(0.1);
    expect(protocol.timedOut).toBe(1);
  });

  it('does nothing with no timeout set or after it ran out', () => {
    const { protocol, clock } = timed();
    protocol.resetTimeout();
    expect(clock.getDelayedCalls()).toEqual([]);
    protocol.setTimeout(1);
    clock.advance(1);
    protocol.resetTimeout(); // would throw AlreadyCalled if it reset the spent call
    expect(protocol.timedOut).toBe(1);
  });
});

describe('WrappingFactory', () => {
  it('passes protocol events both ways and keeps the open connections', () => {
    const wrapped = Factory.forProtocol(Echo);
    const factory = new WrappingFactory(wrapped);
    const wrapper = factory.buildProtocol(ADDR) as ProtocolWrapper;
    const transport = connect(wrapper);
    const echo = wrapper.wrappedProtocol as Echo;
    expect(echo.transport).toBe(wrapper);
    expect(echo.factory).toBe(wrapped);
    expect(factory.protocols.has(wrapper)).toBe(true);
    wrapper.dataReceived(Buffer.from('hi'));
    expect(transport.value().toString()).toBe('hi');
    expect(echo.transport.getPeer()).toEqual(transport.getPeer());
    echo.transport.loseConnection();
    expect(echo.events).toEqual(['made', 'data hi', 'lost ConnectionDone']);
    expect(factory.protocols.size).toBe(0);
    expect(wrapper.logPrefix()).toBe('Echo (ProtocolWrapper)');
  });

  it('starts and stops the wrapped factory with it, and refuses what it refuses', () => {
    const events: string[] = [];
    class Recording extends Factory {
      override startFactory(): void {
        events.push('start');
      }
      override stopFactory(): void {
        events.push('stop');
      }
      override buildProtocol(): IProtocol | null {
        return null;
      }
    }
    const factory = new WrappingFactory(new Recording());
    factory.doStart();
    expect(factory.buildProtocol(ADDR)).toBe(null);
    factory.doStop();
    expect(events).toEqual(['start', 'stop']);
  });
});

describe('LimitTotalConnectionsFactory', () => {
  it('serves up to the limit; past it a connection is closed at once; a closed one frees a place', () => {
    const factory = new LimitTotalConnectionsFactory(Factory.forProtocol(Echo), { connectionLimit: 2 });
    const served = [0, 1].map(() => connect(factory.buildProtocol(ADDR) as ProtocolWrapper));
    expect(factory.connectionCount).toBe(2);
    const over = factory.buildProtocol(ADDR) as ProtocolWrapper;
    expect(over.wrappedProtocol).toBeInstanceOf(OverflowProtocol);
    const overTransport = connect(over);
    expect([overTransport.disconnecting, overTransport.value().length]).toEqual([true, 0]);
    expect(factory.connectionCount).toBe(2); // the overflow connection is counted until it closes
    served[0].loseConnection();
    expect(factory.connectionCount).toBe(1);
    const next = factory.buildProtocol(ADDR) as ProtocolWrapper;
    expect(next.wrappedProtocol).toBeInstanceOf(Echo);
    expect(served[1].disconnecting).toBe(false);
  });

  it('counts protocols built but not yet connected', () => {
    const factory = new LimitTotalConnectionsFactory(Factory.forProtocol(Echo), { connectionLimit: 1 });
    const first = factory.buildProtocol(ADDR) as ProtocolWrapper;
    const second = factory.buildProtocol(ADDR) as ProtocolWrapper;
    expect([first.wrappedProtocol instanceof Echo, second.wrappedProtocol instanceof OverflowProtocol]).toEqual([true, true]);
  });

  it('takes an overflow protocol of its own', () => {
    class Busy extends Protocol {
      override connectionMade(): void {
        this.transport.write('busy\n');
        this.transport.loseConnection();
      }
    }
    const factory = new LimitTotalConnectionsFactory(Factory.forProtocol(Echo), { connectionLimit: 1, overflowProtocol: Busy });
    connect(factory.buildProtocol(ADDR) as ProtocolWrapper);
    const transport = connect(factory.buildProtocol(ADDR) as ProtocolWrapper);
    expect(transport.value().toString()).toBe('busy\n');
    expect(factory.connectionCount).toBe(1);
  });

  it('rejects a limit that is not a whole number >= 1', () => {
    for (const limit of [0, 1.5, -1, Number.NaN]) {
      expect(() => new LimitTotalConnectionsFactory(new Factory(), { connectionLimit: limit })).toThrow(TypeError);
    }
  });
});

describe('TimeoutFactory', () => {
  function timeoutServer(period = 5): { factory: TimeoutFactory; clock: Clock } {
    const clock = new Clock();
    return { factory: new TimeoutFactory(Factory.forProtocol(Echo), { timeoutPeriod: period, clock }), clock };
  }

  it('aborts a connection idle for the period; traffic either way restarts the count', () => {
    const { factory, clock } = timeoutServer(5);
    const wrapper = factory.buildProtocol(ADDR) as ProtocolWrapper;
    const transport = connect(wrapper);
    clock.advance(4);
    wrapper.dataReceived(Buffer.from('x')); // received, and echoed
    clock.advance(4);
    (wrapper.wrappedProtocol as Echo).transport.write('y'); // written
    clock.advance(4.9);
    expect(transport.disconnected).toBe(false);
    clock.advance(0.1);
    expect(transport.disconnected).toBe(true);
    expect((wrapper.wrappedProtocol as Echo).events).toEqual(['made', 'data x', 'lost ConnectionLost']);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('counts bytes the transport sent as activity: a slow reader is not idle, one that stopped reading is', () => {
    const { factory, clock } = timeoutServer(5);
    const wrapper = factory.buildProtocol(ADDR) as ProtocolWrapper;
    const transport = connect(wrapper) as StringTransportWithDisconnection & { bufferSize: number };
    transport.bufferSize = 0;
    transport.write = (data) => {
      transport.bufferSize += data.length; // nothing goes out until the test says so
    };
    (wrapper.wrappedProtocol as Echo).transport.write('a long answer');
    clock.advance(4);
    transport.bufferSize = 6; // the peer took some
    clock.advance(1);
    expect(transport.disconnected).toBe(false);
    clock.advance(5); // and then nothing more
    expect(transport.disconnected).toBe(true);
  });

  it('cancels the timer when the connection closes first', () => {
    const { factory, clock } = timeoutServer();
    const wrapper = factory.buildProtocol(ADDR) as ProtocolWrapper;
    connect(wrapper);
    wrapper.connectionLost(new Failure(new ConnectionDone('bye')));
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('starts no timer for a connection its protocol closed at once', () => {
    const clock = new Clock();
    const factory = new TimeoutFactory(Factory.forProtocol(OverflowProtocol), { timeoutPeriod: 1, clock });
    connect(factory.buildProtocol(ADDR) as ProtocolWrapper);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("with idleFrom 'firstWrite' starts counting at the protocol's first write", () => {
    const clock = new Clock();
    const factory = new TimeoutFactory(Factory.forProtocol(Echo), { timeoutPeriod: 5, clock, idleFrom: 'firstWrite' });
    const wrapper = factory.buildProtocol(ADDR) as ProtocolWrapper;
    const transport = connect(wrapper);
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(100); // waiting for an answer from elsewhere
    (wrapper.wrappedProtocol as Echo).transport.write('the answer');
    clock.advance(4.9);
    expect(transport.disconnected).toBe(false);
    clock.advance(0.1);
    expect(transport.disconnected).toBe(true);
  });

  it('rejects a period that is not a number > 0', () => {
    for (const period of [0, -1, Number.NaN, Infinity]) {
      expect(() => new TimeoutFactory(new Factory(), { timeoutPeriod: period, clock: new Clock() })).toThrow(TypeError);
    }
  });
});
