// Clients 5.0, 5.1 (chapter 10) and 6.0 (chapters 12 and 13) against real servers on
// loopback: fast poetry servers and the transform server, on the client's own reactor.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Failure } from '../../lib/defer/failure';
import { setErrorLogger } from '../../lib/log/index';
import { runClient5 } from '../../lib/poetry/clients/client-5';
import { runClient51 } from '../../lib/poetry/clients/client-5-1';
import { runClient6 } from '../../lib/poetry/clients/client-6';
import { FastPoetryFactory } from '../../lib/poetry/fast-server';
import { type FlakyOutcome, FlakyCummingsify, GibberishError } from '../../lib/poetry/transform/flaky';
import { TransformFactory, TransformService } from '../../lib/poetry/transform/server';
import { ConnectionRefusedError } from '../../lib/reactor/errors';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import type { Address } from '../../lib/sockets/address';
import { Timeline } from '../../lib/timing/timeline';
import { poem, printed } from '../helpers/cli';
import { freePort } from '../helpers/net';
import { expectClean } from '../helpers/reactor';

const POEMS = ['science', 'fascination', 'ecstasy'];
const text = (name: string): string => readFileSync(poem(name), 'utf8');

let reactor: SelectReactor;
const logged: string[] = [];
setErrorLogger((message) => logged.push(message));
afterEach(() => {
  expectClean(reactor);
  expect(logged.splice(0)).toEqual([]);
});

/** Fast poetry servers for `names` and a transform server, on a fresh reactor (the client stops it, closing them). */
function serve(names: readonly string[]): { addresses: Address[]; xform: Address } {
  reactor = new SelectReactor();
  const addresses = names.map((name) => ['127.0.0.1', reactor.listenTCP(0, new FastPoetryFactory(readFileSync(poem(name)))).getHost().port] as const);
  const xform = ['127.0.0.1', reactor.listenTCP(0, new TransformFactory(new TransformService())).getHost().port] as const;
  return { addresses, xform };
}


/** What the flaky cummingsify does first for task i with this seed. */
const firstOutcome = (seed: number, i: number): FlakyOutcome => {
  const flaky = new FlakyCummingsify({ seed: seed + i });
  try {
    flaky.cummingsify('');
  } catch {
    // recorded in outcomes
  }
  return flaky.outcomes[0];
};

// The first seed whose three tasks come out differently: success, gibberish and the bug.
const SEED = Array.from({ length: 1000 }, (_, seed) => seed).find(
  (seed) => new Set(POEMS.map((_, i) => firstOutcome(seed, i))).size === 3,
) as number;

describe.each([
  ['5.0', runClient5],
  ['5.1', runClient51],
] as const)('client %s', (version, runClient) => {
  it('cummingsifies, falls back to the poem on the bug, and loses the poem on gibberish, as the seed decides', async () => {
    const { addresses } = serve(POEMS);
    const out = printed();
    const result = await runClient(addresses, { reactor, seed: SEED, log: out.log, logError: out.logError });
    expect(result.seed).toBe(SEED);
    const outcomes = POEMS.map((_, i) => firstOutcome(SEED, i));
    result.results.forEach(([ok, value], i) => {
      const original = text(POEMS[i]);
      if (outcomes[i] === 'success') expect([ok, value]).toEqual([true, original.toLowerCase()]);
      if (outcomes[i] === 'bug') expect([ok, value]).toEqual([true, original]);
      if (outcomes[i] === 'gibberish') {
        expect(ok).toBe(false);
        expect((value as Failure).check(GibberishError)).toBe(GibberishError);
      }
    });
    expect(out.errors.filter((line) => line === 'Cummingsify failed!')).toHaveLength(1);
    expect(out.errors.filter((line) => line.startsWith('Poem failed: [Failure instance: GibberishError'))).toHaveLength(1);
    expect(result.poems).toHaveLength(2);
    expect(result.errors).toHaveLength(1);
    expect(out.lines.at(-1)).toMatch(/^Got 2 poems \(1 failed\) in /);
  });

  it('does the same again for the same seed', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const { addresses } = serve(POEMS);
      const result = await runClient(addresses, { reactor, seed: 12345, log: () => {}, logError: () => {} });
      expectClean(reactor);
      runs.push(result.results.map(([ok, value]) => (ok ? value : (value as Failure).type?.name)));
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it(`reports a failed download as ${version} does`, async () => {
    reactor = new SelectReactor();
    const closed = await freePort();
    const out = printed();
    const result = await runClient([['127.0.0.1', closed]], { reactor, seed: SEED, log: out.log, logError: out.logError });
    expect(result.errors[0].check(ConnectionRefusedError)).toBe(ConnectionRefusedError);
    expect(out.errors).toEqual([`Poem failed: ${result.errors[0]}`]);
  });
});

describe.each([['6.0', runClient6]] as const)('client %s', (_version, runClient) => {
  it('gets every poem transformed on the server', async () => {
    const { addresses, xform } = serve(POEMS);
    const out = printed();
    const result = await runClient(addresses, { reactor, xform, log: out.log, logError: out.logError });
    expect(result.results).toEqual(POEMS.map((name) => [true, text(name).toLowerCase()]));
    expect([...result.poems].sort()).toEqual(POEMS.map((name) => text(name).toLowerCase()).sort());
    expect(out.errors).toEqual([]);
    expect(out.lines).toHaveLength(4);
    expect(out.lines.at(-1)).toMatch(/^Got 3 poems in /);
  });

  it('records each poem\'s download, then its transform, in its task\'s lane', async () => {
    const { addresses, xform } = serve(POEMS);
    const timeline = new Timeline(() => reactor.seconds());
    await runClient(addresses, { reactor, xform, timeline, log: () => {}, logError: () => {} });
    POEMS.forEach((_, i) => {
      const [download, transform, ...rest] = timeline.entriesOf(`Task ${i + 1}`);
      expect(rest).toEqual([]);
      expect([download.kind, transform.kind, download.lane, transform.lane]).toEqual(['wait', 'run', `Task ${i + 1}`, `Task ${i + 1}`]);
      expect(transform.start).toBeGreaterThanOrEqual(download.end);
    });
  });

  it('asks for another transform by name', async () => {
    const { addresses, xform } = serve(['science']);
    const result = await runClient(addresses, { reactor, xform, transform: 'shout', log: () => {}, logError: () => {} });
    expect(result.results).toEqual([[true, text('science').toUpperCase()]]);
  });

  it('falls back to the poem as it came when the transform fails', async () => {
    const { addresses, xform } = serve(['science', 'fascination']);
    const out = printed();
    const result = await runClient(addresses, { reactor, xform, transform: 'nope', log: out.log, logError: out.logError });
    expect(result.results).toEqual([
      [true, text('science')],
      [true, text('fascination')],
    ]);
    expect(out.errors).toHaveLength(2);
    for (const line of out.errors) expect(line).toMatch(/^Transform nope failed: \[Failure instance: TransformFailedError: /);
    expect(result.errors).toEqual([]);
  });

  it('falls back when the transform server is down, and reports a failed download', async () => {
    const { addresses } = serve(['science']);
    const [closedX, closedP] = [await freePort(), await freePort()];
    const out = printed();
    const result = await runClient([...addresses, ['127.0.0.1', closedP]], {
      reactor,
      xform: ['127.0.0.1', closedX],
      log: out.log,
      logError: out.logError,
    });
    expect(result.results[0]).toEqual([true, text('science')]);
    expect(result.results[1][0]).toBe(false);
    expect((result.results[1][1] as Failure).check(ConnectionRefusedError)).toBe(ConnectionRefusedError);
    expect([...out.errors].sort()).toEqual(
      [`Poem failed: ${result.errors[0]}`, `Transform cummingsify failed: [Failure instance: ConnectionRefusedError: Connection was refused by other side: 127.0.0.1:${closedX}.]`].sort(),
    );
  });

  it('rejects a missing transform server or a bad transform name', async () => {
    reactor = new SelectReactor();
    await expect(runClient([['127.0.0.1', 1]], { reactor } as never)).rejects.toThrow(/Expected `xform` to be the transform server's \[host, port\]/);
    await expect(runClient([['127.0.0.1', 1]], { reactor, xform: ['127.0.0.1', 2], transform: 'a.b' })).rejects.toThrow(TypeError);
  });
});
