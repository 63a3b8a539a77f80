import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../lib/defer/errors';
import { gatherResults } from '../../lib/defer/deferred-list';
import { setErrorLogger } from '../../lib/log/index';
import { FastPoetryFactory } from '../../lib/poetry/fast-server';
import { getPoetry } from '../../lib/poetry/get-poetry';
import { SlowPoetryFactory } from '../../lib/poetry/slow-server';
import { Factory } from '../../lib/protocol/factory';
import { Protocol } from '../../lib/protocol/protocol';
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
  it('serves many clients at once, each the whole poem on the blocking edition schedule', async () => {
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
    // All 20 were greeted before any had its 7th and last chunk: served at once, not in turn.
    const lastGreeting = lines.map((l) => l.endsWith('wants poetry!')).lastIndexOf(true);
    const firstLastChunk = lines.indexOf('Sending 65 bytes');
    expect(lastGreeting).toBeLessThan(firstLastChunk);
  });

  it('cancels its timer when a client goes away mid-poem', async () => {
    reactor = new SelectReactor();
    const factory = new SlowPoetryFactory(poemBytes('ecstasy'), { numBytes: 10, delay: 0.01, clock: reactor, log: () => {} });
    const port = reactor.listenTCP(0, factory);
    const d = getPoetry('127.0.0.1', port.getHost().port, reactor);
    reactor.callLater(0.05, () => d.cancel());
    const result = await runUntil(reactor, d);
    // Let the server side notice the close and cancel its pending chunk.
    reactor.callLater(0.05, () => reactor.stop());
    await reactor.run();
    await port.stopListening();
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(CancelledError);
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
