import { afterEach, describe, expect, it } from 'vitest';
import { Deferred } from '../../lib/defer/deferred';
import { CancelledError } from '../../lib/defer/errors';
import type { Failure } from '../../lib/defer/failure';
import { gatherResults } from '../../lib/defer/deferred-list';
import { setErrorLogger } from '../../lib/log/index';
import { FastPoetryFactory } from '../../lib/poetry/fast-server';
import { getPoetry } from '../../lib/poetry/get-poetry';
import { SlowPoetryFactory, SlowPoetryProtocol } from '../../lib/poetry/slow-server';
import { Factory } from '../../lib/protocol/factory';
import { Protocol } from '../../lib/protocol/protocol';
import { StringTransport } from '../../lib/protocol/testing';
import { Clock } from '../../lib/reactor/clock';
import { ConnectionLost, ConnectionRefusedError } from '../../lib/reactor/errors';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { poem, poemBytes } from '../helpers/cli';
import { freePort } from '../helpers/net';
import { expectClean, runUntil } from '../helpers/reactor';

let reactor: SelectReactor;
const logged: string[] = [];
setErrorLogger((message) => logged.push(message));
afterEach(() => {
  expectClean(reactor);
  // Nothing went wrong behind the tests' backs (a Deferred fired twice, a callback threw).
  expect(logged.splice(0)).toEqual([]);
});



describe('SlowPoetryFactory', () => {
  it('serves 20 clients on loopback, each the whole poem in the blocking edition chunks', async () => {
    reactor = new SelectReactor();
    const lines: string[] = [];
    const factory = new SlowPoetryFactory(poemBytes('science'), { numBytes: 100, delay: 0.05, clock: reactor, log: (l) => lines.push(l) });
    const port = reactor.listenTCP(0, factory);
    const { port: p } = port.getHost();
    const result = await runUntil(reactor, gatherResults(Array.from({ length: 20 }, () => getPoetry('127.0.0.1', p, reactor))));
    await port.stopListening();
    expect(result.status).toBe('fulfilled');
    const poems = (result as PromiseFulfilledResult<string[]>).value;
    expect(poems).toEqual(Array(20).fill(poemBytes('science').toString()));
    expect(lines.filter((l) => l.endsWith('wants poetry!'))).toHaveLength(20);
    expect(lines.filter((l) => l === 'Sending 100 bytes')).toHaveLength(20 * 6);
  });

  it('serves clients at once, not in turn: with a Clock, every client has its k-th chunk after k - 1 delays', () => {
    const clock = new Clock();
    const poemLength = poemBytes('science').length; // 665 bytes: 6 chunks of 100, then 65
    const factory = new SlowPoetryFactory(poemBytes('science'), { numBytes: 100, delay: 0.05, clock, log: () => {} });
    const transports = Array.from({ length: 20 }, () => {
      const transport = new StringTransport();
      factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 10000 })?.makeConnection(transport);
      return transport;
    });
    for (let k = 1; k <= 7; k++) {
      expect(transports.map((t) => t.value().length)).toEqual(Array(20).fill(Math.min(100 * k, poemLength)));
      expect(transports.some((t) => t.disconnecting)).toBe(false);
      clock.advance(0.05);
    }
    expect(transports.every((t) => t.disconnecting)).toBe(true);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('cancels its timer when a client goes away mid-poem (on loopback; the Clock test is in tested-poetry.test.ts)', async () => {
    reactor = new SelectReactor();
    let sent = 0;
    let d: Deferred<string> | undefined;
    // The client gives up once the third chunk is on its way: mid-poem, whatever the machine's speed.
    const log = (line: string) => {
      if (line.startsWith('Sending') && ++sent === 3) d?.cancel();
    };
    const factory = new SlowPoetryFactory(poemBytes('ecstasy'), { numBytes: 10, delay: 0.01, clock: reactor, log });
    const serverLost = new Deferred<void>();
    factory.protocol = class extends SlowPoetryProtocol {
      override connectionLost(reason: Failure): void {
        super.connectionLost(reason);
        serverLost.callback(undefined);
      }
    };
    const port = reactor.listenTCP(0, factory);
    d = getPoetry('127.0.0.1', port.getHost().port, reactor);
    const result = await runUntil(reactor, d);
    // Run on until the server side has noticed the close (and so cancelled its next chunk).
    await runUntil(reactor, serverLost);
    await port.stopListening();
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(CancelledError);
    expect(sent).toBe(3);
  });
});

describe('FastPoetryFactory', () => {
  it('sends the whole poem at once and closes', async () => {
    reactor = new SelectReactor();
    const port = reactor.listenTCP(0, new FastPoetryFactory(poemBytes('alla_sera')));
    const result = await runUntil(reactor, getPoetry('127.0.0.1', port.getHost().port, reactor));
    await port.stopListening();
    expect(result).toEqual({ status: 'fulfilled', value: poemBytes('alla_sera').toString('utf8') });
  });
});

describe('getPoetry', () => {
  it('fails with ConnectionRefusedError when nothing listens', async () => {
    reactor = new SelectReactor();
    const result = await runUntil(reactor, getPoetry('127.0.0.1', await freePort(), reactor));
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionRefusedError);
  });

  it('fails with ConnectionLost when the server resets mid-poem', async () => {
    reactor = new SelectReactor();
    class Resetting extends Protocol {
      override connectionMade(): void {
        this.transport.write('half a po');
        reactor.callLater(0.02, () => this.transport.abortConnection());
      }
    }
    const port = reactor.listenTCP(0, Factory.forProtocol(Resetting));
    const result = await runUntil(reactor, getPoetry('127.0.0.1', port.getHost().port, reactor));
    await port.stopListening();
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionLost);
  });
});
