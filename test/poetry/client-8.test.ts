// Tests for client 7.0 (chapter 17) in both spellings, the generator under inlineCallbacks
// (client-7.ts) and the async function under ensureDeferred (client-7-async.ts), and for client
// 8.0 (chapter 18: 7.0 with a DeferredList), against real slow poetry servers and a real transform
// server on the loopback, with client 6.0 as the reference for what is printed.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Failure } from '../../lib/defer/failure';
import { type ErrorLogger, setErrorLogger } from '../../lib/log/index';
import { runClient6 } from '../../lib/poetry/clients/client-6';
import { runClient7 } from '../../lib/poetry/clients/client-7';
import { runClient7Async } from '../../lib/poetry/clients/client-7-async';
import { runClient8 } from '../../lib/poetry/clients/client-8';
import { TransformFailedError } from '../../lib/poetry/transform/client';
import { ConnectionRefusedError } from '../../lib/reactor/errors';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import type { Address } from '../../lib/sockets/address';
import { ELAPSED, poem, printed } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';
import { freePort } from '../helpers/net';
import { expectClean } from '../helpers/reactor';

const POEMS = ['science', 'fascination', 'alla_sera'];
const text = (name: string): string => readFileSync(poem(name), 'utf8');
const collectGarbage = (globalThis as { gc?: () => void }).gc;

// One set of servers for the file (each serves any number of connections): three slow poetry
// servers, one per poem, and a transform server.
let poets: Server[] = [];
let xform: Server;
beforeAll(async () => {
  [xform, ...poets] = await Promise.all([
    startServer('transformedpoetry', []),
    ...POEMS.map((name) => startServer('slowpoetry', ['--reactor', '--delay', '0.002', '--num-bytes', '50', poem(name)])),
  ]);
});
afterAll(stopAll);

let reactor: SelectReactor | undefined;
let logged: string[] = [];
let previousLogger: ErrorLogger;
beforeEach(() => {
  logged = [];
  previousLogger = setErrorLogger((message) => logged.push(message));
});
afterEach(async () => {
  // A failed Deferred nobody handled is logged when collected: collect, and let the log run.
  if (!collectGarbage) throw new Error('run with --expose-gc (see vitest.config.mts)');
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  setErrorLogger(previousLogger);
  expect(logged, 'errors logged by the Deferred machinery').toEqual([]);
  if (reactor) expectClean(reactor);
  reactor = undefined;
});

const at = (server: Server): Address => ['127.0.0.1', server.port];


const CLIENTS = [
  ['7.0: runClient7 (inlineCallbacks)', runClient7],
  ['7.0: runClient7Async (async/await, ensureDeferred)', runClient7Async],
  ['8.0: runClient8 (inlineCallbacks, DeferredList)', runClient8],
] as const;

describe.each(CLIENTS)('client %s', (_name, runClient) => {
  it('gets every poem and prints it cummingsified by the transform server', async () => {
    reactor = new SelectReactor();
    const out = printed();
    const result = await runClient(poets.map(at), { reactor, xform: at(xform), log: out.log, logError: out.logError });
    expect(result.results).toEqual(POEMS.map((name) => [true, text(name).toLowerCase()]));
    expect([...result.poems].sort()).toEqual(POEMS.map((name) => text(name).toLowerCase()).sort());
    expect(result.errors).toEqual([]);
    expect(out.errors).toEqual([]);
    const arrivals = POEMS.map((name, i) => `Task ${i + 1}: got poem from 127.0.0.1:${poets[i].port} (${Buffer.byteLength(text(name).toLowerCase())} bytes)`);
    expect([...out.lines.slice(0, 3)].sort()).toEqual([...arrivals].sort());
    expect(out.lines[3]).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
    expect(out.lines).toHaveLength(4);
  });

  it('falls back to the poem as it came when the transform server is down', async () => {
    reactor = new SelectReactor();
    const closed = await freePort();
    const out = printed();
    const result = await runClient([at(poets[0])], { reactor, xform: ['127.0.0.1', closed], log: out.log, logError: out.logError });
    expect(result.results).toEqual([[true, text('science')]]);
    expect(result.errors).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatch(/^Transform cummingsify failed: \[Failure instance: ConnectionRefusedError: /);
    expect(out.errors[0]).toContain(`127.0.0.1:${closed}`);
    expect(out.lines[0]).toBe(`Task 1: got poem from 127.0.0.1:${poets[0].port} (${Buffer.byteLength(text('science'))} bytes)`);
  });

  it('falls back to the poem as it came when the server refuses the transform', async () => {
    reactor = new SelectReactor();
    const out = printed();
    const result = await runClient(poets.slice(0, 2).map(at), {
      reactor,
      xform: at(xform),
      transform: 'no-such-transform',
      log: out.log,
      logError: out.logError,
    });
    expect(result.results).toEqual([
      [true, text('science')],
      [true, text('fascination')],
    ]);
    expect(out.errors).toEqual([
      `Transform no-such-transform failed: [Failure instance: ${TransformFailedError.name}: the transform server closed the connection without a poem (no transform \`no-such-transform\`, or it failed)]`,
      `Transform no-such-transform failed: [Failure instance: ${TransformFailedError.name}: the transform server closed the connection without a poem (no transform \`no-such-transform\`, or it failed)]`,
    ]);
    expect(out.lines[2]).toMatch(new RegExp(`^Got 2 poems in ${ELAPSED}$`));
  });

  it('fails a download that fails (thrown at the first await/yield), records it, and still stops', async () => {
    reactor = new SelectReactor();
    const closed = await freePort();
    const out = printed();
    const result = await runClient([['127.0.0.1', closed], at(poets[0])], { reactor, xform: at(xform), log: out.log, logError: out.logError });
    expect(result.errors).toHaveLength(1);
    const [failure] = result.errors;
    expect(failure.check(ConnectionRefusedError)).toBe(ConnectionRefusedError);
    expect(result.results).toEqual([
      [false, failure],
      [true, text('science').toLowerCase()],
    ]);
    expect(out.errors).toEqual([`Poem failed: ${failure}`]);
    expect(out.lines[1]).toMatch(new RegExp(String.raw`^Got 1 poems \(1 failed\) in ` + `${ELAPSED}$`));
  });

  it('rejects an empty list of addresses and a missing transform server', async () => {
    reactor = new SelectReactor();
    await expect(runClient([], { reactor, xform: ['127.0.0.1', 1] })).rejects.toThrow(TypeError);
    await expect(runClient([['127.0.0.1', 1]], { reactor } as never)).rejects.toThrow(/Expected `xform`/);
  });
});

describe('clients 7.0 and 8.0 against client 6.0', () => {
  it('print what 6.0 prints, line for line but the time, in every spelling', async () => {
    reactor = new SelectReactor();
    const closed = await freePort();
    // A refused download, two poems, and one transform refused: every kind of line.
    const addresses: Address[] = [['127.0.0.1', closed], ...poets.slice(0, 2).map(at)];
    const runs = [];
    for (const run of [runClient6, runClient7, runClient7Async, runClient8]) {
      for (const transform of ['cummingsify', 'no-such-transform']) {
        const out = printed();
        const result = await run(addresses, { reactor, xform: at(xform), transform, log: out.log, logError: out.logError });
        const untimed = (line: string): string => line.replace(new RegExp(`in ${ELAPSED}$`), 'in T');
        runs.push({
          lines: [...out.lines.map(untimed)].sort(),
          errors: [...out.errors].sort(),
          results: result.results.map(([ok, value]) => (ok ? value : (value as Failure).getErrorMessage())),
        });
      }
    }
    expect(runs[0].errors).toHaveLength(1);
    expect(runs[1].errors).toHaveLength(3);
    for (const from of [2, 4, 6]) expect(runs.slice(from, from + 2)).toEqual(runs.slice(0, 2));
  });
});
