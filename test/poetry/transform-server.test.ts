// The transform server and transformPoem on a real reactor over loopback (chapter 12): many
// clients at once; a bad client (too long, malformed, no dot, stalled halfway) loses only its own
// connection and delays nobody; transformPoem's failures and cancellation.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deferred } from '../../lib/defer/deferred';
import { gatherResults } from '../../lib/defer/deferred-list';
import { CancelledError } from '../../lib/defer/errors';
import { setErrorLogger } from '../../lib/log/index';
import { TransformFailedError, transformPoem, TransformProxy } from '../../lib/poetry/transform/client';
import { TransformFactory, TransformService } from '../../lib/poetry/transform/server';
import { ConnectionRefusedError } from '../../lib/reactor/errors';
import type { IListeningPort, IProtocolFactory } from '../../lib/reactor/interfaces';
import { LimitTotalConnectionsFactory, TimeoutFactory } from '../../lib/protocol/policies';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { poem } from '../helpers/cli';
import { freePort } from '../helpers/net';
import { expectClean, Recorder, RecordingFactory, runUntil } from '../helpers/reactor';

const ECSTASY = readFileSync(poem('ecstasy'), 'utf8');
const SCIENCE = readFileSync(poem('science'), 'utf8');

let reactor: SelectReactor;
let listening: IListeningPort | undefined;
const logged: string[] = [];
setErrorLogger((message) => logged.push(message));
afterEach(async () => {
  await listening?.stopListening();
  listening = undefined;
  expectClean(reactor);
  // Nothing went wrong behind the tests' backs (a Deferred fired twice, a callback threw).
  expect(logged.splice(0)).toEqual([]);
});


/** A transform server on a fresh reactor; its port, and the lines it logged. */
function serve(): { port: number; serverLog: string[] } {
  reactor = new SelectReactor();
  const serverLog: string[] = [];
  listening = reactor.listenTCP(0, new TransformFactory(new TransformService(), { log: (line) => serverLog.push(line) }));
  return { port: listening.getHost().port, serverLog };
}

/** A raw client that writes `bytes` on connecting; resolves when its connection is lost. */
function rawClient(port: number, bytes: Buffer | string): { recorder: Recorder; lost: Promise<Recorder> } {
  const recorder = new Recorder();
  const lost = new Promise<Recorder>((resolve) => {
    recorder.onLost = () => resolve(recorder);
  });
  recorder.onMade = () => recorder.transport?.write(bytes);
  reactor.connectTCP('127.0.0.1', port, new RecordingFactory(() => recorder));
  return { recorder, lost };
}

describe('TransformFactory on a reactor', () => {
  it('serves many clients at once, each its own transform', async () => {
    const { port } = serve();
    const names = ['cummingsify', 'shout', 'reverse-lines'];
    const expected = { cummingsify: ECSTASY.toLowerCase(), shout: ECSTASY.toUpperCase(), 'reverse-lines': '' };
    const requests = Array.from({ length: 60 }, (_, i) => names[i % 3]);
    const result = await runUntil(reactor, gatherResults(requests.map((name) => transformPoem('127.0.0.1', port, name, ECSTASY, reactor))));
    expect(result.status).toBe('fulfilled');
    const answers = (result as PromiseFulfilledResult<string[]>).value;
    answers.forEach((answer, i) => {
      const name = requests[i] as keyof typeof expected;
      if (name === 'reverse-lines') expect(answer.split('\n').reverse().join('\n').trimStart()).toBe(ECSTASY.trimEnd());
      else expect(answer).toBe(expected[name]);
    });
  });

  it('drops only the client that sent a too long, malformed or dot-less netstring; the others are served', async () => {
    const { port, serverLog } = serve();
    const bad = [
      rawClient(port, '100000:'), // longer than MAX_LENGTH (99999)
      rawClient(port, 'cummingsify.HERE IS MY POEM'), // not a netstring
      rawClient(port, '11:no dot here,'), // no transform name
      rawClient(port, '9:bogus.ABC,'), // no such transform
    ];
    const good = Array.from({ length: 10 }, () => transformPoem('127.0.0.1', port, 'cummingsify', SCIENCE, reactor));
    // Once all that is over, the server still serves (stopping the reactor would close its port).
    let after: string | undefined;
    const work = Promise.all([gatherResults(good), ...bad.map((b) => b.lost)]).then(async (all) => {
      after = await transformPoem('127.0.0.1', port, 'shout', 'still here', reactor);
      return all;
    });
    const result = await runUntil(reactor, work);
    expect(result.status).toBe('fulfilled');
    const [answers, ...dropped] = (result as PromiseFulfilledResult<[string[], ...Recorder[]]>).value;
    expect(answers).toEqual(Array(10).fill(SCIENCE.toLowerCase()));
    for (const recorder of dropped) {
      expect(recorder.data.length).toBe(0);
      expect(recorder.events).toEqual(['made', 'lost ConnectionDone']);
    }
    expect(serverLog).toEqual(['Transform "bogus" failed: no transform named "bogus"']);
    expect(after).toBe('STILL HERE');
  });

  it('serves other clients while one has sent half a netstring and stalls', async () => {
    const { port } = serve();
    const request = Buffer.from(`${Buffer.byteLength(`cummingsify.${ECSTASY}`)}:cummingsify.${ECSTASY},`);
    const half = request.length >> 1;
    const stalled = rawClient(port, request.subarray(0, half));
    const others = (): Deferred<string[]> =>
      gatherResults(Array.from({ length: 20 }, () => transformPoem('127.0.0.1', port, 'shout', SCIENCE, reactor)));
    const seen: string[][] = [];
    // Two rounds of other clients, so the stalled one has surely been accepted and read before
    // the second; then it sends the rest of its request and gets its answer after all.
    const work = others()
      .addCallback(() => others())
      .addCallback((answers) => {
        seen.push(answers, [...stalled.recorder.events]);
        stalled.recorder.transport?.write(request.subarray(half));
        return stalled.lost;
      });
    const result = await runUntil(reactor, work);
    expect(result.status).toBe('fulfilled');
    expect(seen[0]).toEqual(Array(20).fill(SCIENCE.toUpperCase()));
    // Still connected, still waiting, while the 40 others were served.
    expect(seen[1]).toEqual(['made']);
    expect(stalled.recorder.data.toString()).toBe(`${Buffer.byteLength(ECSTASY)}:${ECSTASY.toLowerCase()},`);
  });
});

describe('TransformFactory behind the policies (lib/protocol/policies.ts) on a reactor', () => {
  const HALF = Buffer.from('100:cummingsify.only part of the po');

  /** A transform server behind `wrap`; its port. */
  function serveWrapped(wrap: (factory: TransformFactory) => IProtocolFactory): number {
    reactor = new SelectReactor();
    listening = reactor.listenTCP(0, wrap(new TransformFactory(new TransformService())));
    return listening.getHost().port;
  }

  it('keeps at most --max-connections half-sent requests open: the ones past the limit are closed at once', async () => {
    let limited!: LimitTotalConnectionsFactory;
    const port = serveWrapped((factory) => (limited = new LimitTotalConnectionsFactory(factory, { connectionLimit: 50 })));
    const clients = Array.from({ length: 60 }, () => rawClient(port, HALF));
    const closed = (): number => clients.filter((c) => c.recorder.events.length > 1).length;
    /** Polls `condition` every 10 ms of the reactor's time. */
    const until = (condition: () => boolean): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => (condition() ? resolve() : void reactor.callLater(0.01, check));
        check();
      });
    const work = (async () => {
      // The 10 past the limit are closed by the server, with nothing sent.
      await until(() => closed() >= 10 && limited.connectionCount === 50);
      // A real request is refused too while the 50 hold their places...
      const refused = await transformPoem('127.0.0.1', port, 'shout', 'x', reactor).addErrback((f) => (f.value as Error).name);
      const closedThen = closed();
      // ...and served once the stalled ones have gone.
      for (const c of clients) c.recorder.transport?.loseConnection();
      await until(() => limited.connectionCount === 0);
      const served = await transformPoem('127.0.0.1', port, 'shout', 'x', reactor);
      await Promise.all(clients.map((c) => c.lost));
      return { refused, closedThen, served };
    })();
    const result = await runUntil(reactor, work);
    expect(result).toEqual({ status: 'fulfilled', value: { refused: 'TransformFailedError', closedThen: 10, served: 'X' } });
    for (const c of clients) expect(c.recorder.data.length).toBe(0);
  });

  it('aborts a half-sent request after --idle-timeout, and serves a prompt client', async () => {
    const port = serveWrapped((factory) => new TimeoutFactory(factory, { timeoutPeriod: 0.2, clock: reactor }));
    const stalled = [rawClient(port, HALF), rawClient(port, HALF)];
    const work = (async () => {
      const answer = await transformPoem('127.0.0.1', port, 'shout', 'prompt', reactor);
      const cut = await Promise.all(stalled.map((c) => c.lost));
      return { answer, cut: cut.map((c) => c.events) };
    })();
    const result = await runUntil(reactor, work);
    expect(result).toEqual({ status: 'fulfilled', value: { answer: 'PROMPT', cut: [['made', 'lost ConnectionLost'], ['made', 'lost ConnectionLost']] } });
  });
});

describe('transformPoem', () => {
  it('fails with TransformFailedError for an unknown transform', async () => {
    const { port } = serve();
    const result = await runUntil(reactor, transformPoem('127.0.0.1', port, 'nope', 'x', reactor));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TransformFailedError);
  });

  it('fails with ConnectionRefusedError when no server listens', async () => {
    reactor = new SelectReactor();
    const result = await runUntil(reactor, transformPoem('127.0.0.1', await freePort(), 'shout', 'x', reactor));
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionRefusedError);
  });

  it('can be cancelled while the server has not answered: CancelledError, the connection dropped', async () => {
    reactor = new SelectReactor();
    // A server that never answers: it reads and waits.
    const silent = new RecordingFactory(() => new Recorder());
    listening = reactor.listenTCP(0, silent);
    const d = transformPoem('127.0.0.1', listening.getHost().port, 'shout', 'x', reactor);
    const serverLost = new Promise<void>((resolve) => {
      const check = (): void => {
        const [server] = silent.protocols;
        if (server?.events.includes('made') && server.data.length > 0) {
          server.onLost = resolve;
          d.cancel();
        } else reactor.callLater(0.005, check);
      };
      check();
    });
    const result = await runUntil(reactor, Promise.all([d.asPromise().catch((e: unknown) => e), serverLost]));
    expect(result.status).toBe('fulfilled');
    expect((result as PromiseFulfilledResult<[unknown, void]>).value[0]).toBeInstanceOf(CancelledError);
    expect(silent.protocols[0].data.toString()).toBe('7:shout.x,');
  });

  it('TransformProxy.xform is transformPoem to a fixed server', async () => {
    const { port } = serve();
    const proxy = new TransformProxy('127.0.0.1', port, reactor);
    const result = await runUntil(reactor, proxy.xform('cummingsify', 'HERE IS MY POEM'));
    expect(result).toEqual({ status: 'fulfilled', value: 'here is my poem' });
  });
});
