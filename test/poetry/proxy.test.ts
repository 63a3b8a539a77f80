// Tests for the poetry proxy 1.0 (lib/poetry/proxy/proxy-1.ts, chapter 11): on loopback, in
// process, a fresh SelectReactor per test and nothing left behind after it.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deferred } from '../../lib/defer/deferred';
import { gatherResults } from '../../lib/defer/deferred-list';
import { type ErrorLogger, setErrorLogger } from '../../lib/log/index';
import { FastPoetryFactory } from '../../lib/poetry/fast-server';
import { getPoetry } from '../../lib/poetry/get-poetry';
import { PoetryProxyFactory, PoetryProxyProtocol, ProxyService } from '../../lib/poetry/proxy/proxy-1';
import { ServerFactory } from '../../lib/protocol/factory';
import { Protocol } from '../../lib/protocol/protocol';
import type { IAddress, IListeningPort } from '../../lib/reactor/interfaces';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { poem } from '../helpers/cli';
import { freePort } from '../helpers/net';
import { expectClean, Recorder, RecordingFactory, runUntil } from '../helpers/reactor';

const POEM = readFileSync(poem('science')).toString('utf8');

let reactor: SelectReactor;
let ports: IListeningPort[];
let errors: string[];
let previousLogger: ErrorLogger;

beforeEach(() => {
  reactor = new SelectReactor();
  ports = [];
  errors = [];
  previousLogger = setErrorLogger((message) => errors.push(message));
});
afterEach(async () => {
  await Promise.all(ports.map((port) => port.stopListening()));
  expectClean(reactor);
  setErrorLogger(previousLogger);
  // Nothing went wrong behind the tests' backs (an unhandled failure, a callback that threw).
  expect(errors).toEqual([]);
});


/** A fast poetry server that counts its connections: each one is an upstream fetch. */
class CountingFastFactory extends FastPoetryFactory {
  connections = 0;
  override buildProtocol(addr: IAddress): Protocol {
    this.connections++;
    return super.buildProtocol(addr) as Protocol;
  }
}

/** A poetry server that holds every client until `release()`, then sends the poem and closes. */
class HeldProtocol extends Protocol {
  declare factory: HeldPoetryFactory;
  override connectionMade(): void {
    this.factory.held.push(this);
    this.factory.onConnection?.(this.factory.held.length);
  }
}
class HeldPoetryFactory extends ServerFactory {
  override protocol = HeldProtocol;
  readonly held: HeldProtocol[] = [];
  onConnection: ((count: number) => void) | undefined;
  release(): void {
    for (const p of this.held.splice(0)) {
      p.transport.write(POEM);
      p.transport.loseConnection();
    }
  }
}

function listen(factory: ServerFactory): number {
  const port = reactor.listenTCP(0, factory);
  ports.push(port);
  return port.getHost().port;
}

/** A proxy in front of `upstreamPort`, with its log lines captured. */
function startProxy(upstreamPort: number): { service: ProxyService; port: number; lines: string[]; errorLines: string[] } {
  const lines: string[] = [];
  const errorLines: string[] = [];
  const service = new ProxyService('127.0.0.1', upstreamPort, { reactor, log: (line) => lines.push(line), logError: (line) => errorLines.push(line) });
  return { service, port: listen(new PoetryProxyFactory(service)), lines, errorLines };
}

// Collect, then let FinalizationRegistry callbacks (which run as tasks) happen: an unhandled
// failure left in a Deferred would be logged now.
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (see vitest.config.mts)');
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PoetryProxyFactory', () => {
  it('uses PoetryProxyProtocol and keeps its service', () => {
    const service = new ProxyService('127.0.0.1', 1, { reactor, log: () => {} });
    const factory = new PoetryProxyFactory(service);
    expect(factory.service).toBe(service);
    expect(factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 2 } as IAddress)).toBeInstanceOf(PoetryProxyProtocol);
  });
});

describe('ProxyService.getPoem', () => {
  it('returns a Deferred on the first call and the cached string after a fetch succeeded', async () => {
    const upstream = new CountingFastFactory(Buffer.from(POEM));
    const lines: string[] = [];
    const service = new ProxyService('127.0.0.1', listen(upstream), { reactor, log: (line) => lines.push(line) });
    const first = service.getPoem();
    expect(typeof first).not.toBe('string');
    expect(service.poem).toBeUndefined();
    const result = await runUntil(reactor, first as PromiseLike<string>);
    expect(result).toEqual({ status: 'fulfilled', value: POEM });
    expect(service.getPoem()).toBe(POEM);
    expect(lines).toEqual(['Fetching poem from server.', 'Using cached poem.']);
    expect(upstream.connections).toBe(1);
  });
});

describe('PoetryProxyProtocol', () => {
  // Each test does its work in one run of the reactor: stopping it closes every port.
  it('fetches upstream for the first client and serves later ones from the cache', async () => {
    const upstream = new CountingFastFactory(Buffer.from(POEM));
    const proxy = startProxy(listen(upstream));
    const fetch = (): Deferred<string> => getPoetry('127.0.0.1', proxy.port, reactor);
    const result = await runUntil(reactor, 
      (async () => {
        const first = await fetch();
        const afterFirst = { connections: upstream.connections, cached: proxy.service.poem };
        // One after another, then three at once: the cache answers them all.
        const second = await fetch();
        const more = await gatherResults([fetch(), fetch(), fetch()]);
        return { first, afterFirst, second, more };
      })(),
    );
    expect(result).toEqual({
      status: 'fulfilled',
      value: { first: POEM, afterFirst: { connections: 1, cached: POEM }, second: POEM, more: [POEM, POEM, POEM] },
    });
    expect(upstream.connections).toBe(1);
    expect(proxy.lines).toEqual(['Fetching poem from server.', ...Array(4).fill('Using cached poem.')]);
  });

  it('starts one fetch per client that arrives before the first fetch is done (1.0 does not share it)', async () => {
    const N = 4;
    const upstream = new HeldPoetryFactory();
    const proxy = startProxy(listen(upstream));
    // The upstream answers nobody until all N fetches have reached it; with a shared fetch the
    // count would stop at 1 and the safety timer would release it, failing the count below.
    let most = 0;
    const safety = reactor.callLater(5, () => upstream.release());
    upstream.onConnection = (count) => {
      most = count;
      if (count === N) {
        safety.cancel();
        upstream.release();
      }
    };
    const result = await runUntil(reactor, 
      (async () => {
        const poems = await gatherResults(Array.from({ length: N }, () => getPoetry('127.0.0.1', proxy.port, reactor)));
        const linesThen = [...proxy.lines];
        // Only now is the poem cached: the next client costs no upstream connection.
        upstream.onConnection = (count) => {
          most = Math.max(most, N + count);
          upstream.release();
        };
        const later = await getPoetry('127.0.0.1', proxy.port, reactor);
        return { poems, linesThen, later };
      })(),
    );
    expect(result).toEqual({
      status: 'fulfilled',
      value: { poems: Array(N).fill(POEM), linesThen: Array(N).fill('Fetching poem from server.'), later: POEM },
    });
    expect(most).toBe(N);
    expect(proxy.lines).toEqual([...Array(N).fill('Fetching poem from server.'), 'Using cached poem.']);
  });

  it('aborts the client connection with nothing sent when the upstream refuses, logs one line, and caches nothing', async () => {
    const upstreamPort = await freePort();
    const proxy = startProxy(upstreamPort);
    let closed!: () => void;
    const lost = new Promise<void>((resolve) => (closed = resolve));
    const recorder = new Recorder();
    recorder.onLost = () => closed();
    const result = await runUntil(reactor, 
      (async () => {
        reactor.connectTCP('127.0.0.1', proxy.port, new RecordingFactory(() => recorder));
        await lost;
        const cached = proxy.service.poem;
        // A failed fetch is not cached: the next client tries the server again, and fails too.
        const again = await getPoetry('127.0.0.1', proxy.port, reactor).addErrback((failure) => (failure.value as Error).name);
        return { cached, again };
      })(),
    );
    // A reset, not a clean close: the client knows it has no poem.
    expect(recorder.events).toEqual(['made', 'lost ConnectionLost']);
    expect(recorder.data.length).toBe(0);
    expect(result).toEqual({ status: 'fulfilled', value: { cached: undefined, again: 'ConnectionLost' } });
    expect(proxy.lines).toEqual(['Fetching poem from server.', 'Fetching poem from server.']);
    expect(proxy.errorLines).toHaveLength(2);
    for (const line of proxy.errorLines) expect(line).toMatch(new RegExp(`^Could not fetch poem from 127\\.0\\.0\\.1:${upstreamPort}: .*refused`, 'i'));
    await collectGarbage();
  });
});
