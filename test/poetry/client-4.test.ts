import { afterEach, describe, expect, it } from 'vitest';
import { setErrorLogger } from '../../lib/log/index';
import { runClient4 } from '../../lib/poetry/clients/client-4';
import { runClient4Stack } from '../../lib/poetry/clients/client-4-stack';
import { ConnectionRefusedError } from '../../lib/reactor/errors';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { ELAPSED, poem, poemBytes, printed } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';
import { freePort } from '../helpers/net';
import { expectClean } from '../helpers/reactor';

const POEMS = ['science', 'fascination', 'alla_sera'];

let reactor: SelectReactor;
afterEach(async () => {
  await stopAll();
  expectClean(reactor);
});

/** Fresh slow servers (reactor edition), one per poem. */
function serve(names: readonly string[]): Promise<Server[]> {
  return Promise.all(names.map((name) => startServer('slowpoetry', ['--reactor', '--delay', '0.002', '--num-bytes', '50', poem(name)])));
}


describe('client 4.0: runClient4', () => {
  it('gets every poem byte for byte through getPoetry, printing each arrival and the time', async () => {
    reactor = new SelectReactor();
    const servers = await serve(POEMS);
    const out = printed();
    const result = await runClient4(
      servers.map((s) => ['127.0.0.1', s.port] as const),
      { reactor, log: out.log, logError: out.logError },
    );
    // In the order of the addresses, whatever order they arrived in.
    expect(result.results.map(([ok]) => ok)).toEqual([true, true, true]);
    result.results.forEach(([, got], i) => expect(Buffer.from(got as string).equals(poemBytes(POEMS[i])), POEMS[i]).toBe(true));
    expect([...result.poems].sort()).toEqual(POEMS.map((name) => poemBytes(name).toString()).sort());
    expect(result.errors).toEqual([]);
    expect(out.errors).toEqual([]);
    const arrivals = POEMS.map((name, i) => `Task ${i + 1}: got poem from 127.0.0.1:${servers[i].port} (${poemBytes(name).length} bytes)`);
    expect([...out.lines.slice(0, 3)].sort()).toEqual([...arrivals].sort());
    // The arrival lines come in the order the poems did.
    expect(out.lines.slice(0, 3)).toEqual(result.poems.map((p) => arrivals[POEMS.findIndex((name) => poemBytes(name).toString() === p)]));
    expect(out.lines[3]).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
    expect(out.lines).toHaveLength(4);
    expect(result.elapsed).toBeGreaterThan(0);
  });

  it('reports a refused address through the errback, records it in the results, and still stops', async () => {
    reactor = new SelectReactor();
    const [server] = await serve(['science']);
    const closed = await freePort();
    const out = printed();
    const logged: string[] = [];
    const previous = setErrorLogger((message) => logged.push(message));
    try {
      const result = await runClient4(
        [
          ['127.0.0.1', closed],
          ['127.0.0.1', server.port],
        ],
        { reactor, log: out.log, logError: out.logError },
      );
      expect(result.poems).toEqual([poemBytes('science').toString()]);
      expect(result.errors).toHaveLength(1);
      const [failure] = result.errors;
      expect(failure.check(ConnectionRefusedError)).toBe(ConnectionRefusedError);
      expect(failure.getErrorMessage()).toContain(`127.0.0.1:${closed}`);
      expect(out.errors).toEqual([`Poem failed: ${failure}`]);
      expect(result.results).toEqual([
        [false, failure],
        [true, poemBytes('science').toString()],
      ]);
      expect(out.lines).toEqual([
        `Task 2: got poem from 127.0.0.1:${server.port} (${poemBytes('science').length} bytes)`,
        expect.stringMatching(new RegExp(String.raw`^Got 1 poems \(1 failed\) in ` + `${ELAPSED}$`)),
      ]);
      expect(logged).toEqual([]);
    } finally {
      setErrorLogger(previous);
    }
  });

  it('rejects an empty list of addresses (the reactor would never stop)', async () => {
    reactor = new SelectReactor();
    await expect(runClient4([], { reactor })).rejects.toThrow(TypeError);
  });
});

describe('client 4.0, stack edition: runClient4Stack', () => {
  it("prints the first callback's stack: the Deferred fired by the protocol, under the reactor's loop", async () => {
    reactor = new SelectReactor();
    const servers = await serve(POEMS.slice(0, 2));
    const out = printed();
    const result = await runClient4Stack(
      servers.map((s) => ['127.0.0.1', s.port] as const),
      { reactor, log: out.log, logError: out.logError },
    );
    expect(result.poems).toHaveLength(2);
    expect(result.results.map(([ok]) => ok)).toEqual([true, true]);
    // One stack (the first poem's), no arrival lines, then the count.
    expect(out.lines).toHaveLength(2);
    const [stack, last] = out.lines;
    expect(stack).toMatch(/^Error: Task \d: the stack of a Deferred's callback\n/);
    const frames = stack.split('\n').slice(1);
    const at = (pattern: RegExp): number => frames.findIndex((frame) => pattern.test(frame));
    expect(at(/gotPoem/)).toBe(0);
    expect(at(/runCallbacks/)).toBeGreaterThan(0);
    expect(at(/Deferred\.callback /)).toBeGreaterThan(at(/runCallbacks/));
    expect(at(/connectionLost/)).toBeGreaterThan(at(/Deferred\.callback /));
    expect(at(/SelectReactor\.doIteration/)).toBeGreaterThan(at(/connectionLost/));
    expect(last).toMatch(new RegExp(`^Got 2 poems in ${ELAPSED}$`));
    expect(out.errors).toEqual([]);
  });
});
