import { afterEach, describe, expect, it } from 'vitest';
import type { Failure } from '../../lib/defer/failure';
import { runClient1Broken } from '../../lib/poetry/clients/client-1-broken';
import { runClient1 } from '../../lib/poetry/clients/client-1';
import { runClient2Stack } from '../../lib/poetry/clients/client-2-stack';
import { runClient2 } from '../../lib/poetry/clients/client-2';
import { runClient2Simple } from '../../lib/poetry/clients/client-2-simple';
import { runClient31 } from '../../lib/poetry/clients/client-3-1';
import { runClient3 } from '../../lib/poetry/clients/client-3';
import { ConnectionRefusedError } from '../../lib/reactor/errors';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import type { Address } from '../../lib/sockets/address';
import { Timeline } from '../../lib/timing/timeline';
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

/** Fresh blocking slow servers, one per poem (each serves one client at a time). */
async function serve(names: readonly string[], delay = 0.002): Promise<Server[]> {
  return Promise.all(names.map((name) => startServer('slowpoetry', ['--delay', String(delay), '--num-bytes', '50', poem(name)])));
}
const addressesOf = (servers: readonly Server[]): Address[] => servers.map((s) => ['127.0.0.1', s.port] as const);


/**
 * Records a 'heartbeat' chunk on `timeline` every `seconds` while the reactor runs: a timer that
 * only fires when the loop is free. Returns the function that stops it.
 */
function heartbeat(timeline: Timeline, seconds: number): () => void {
  let call = reactor.callLater(seconds, function beat(): void {
    timeline.chunk('heartbeat', 0);
    call = reactor.callLater(seconds, beat);
  });
  return () => call.active() && call.cancel();
}

/** The tasks whose chunks the timeline shows, a run of consecutive chunks of one task counted once. */
function runsOfTasks(timeline: Timeline): string[] {
  const tasks = timeline.entries.filter((e) => e.kind === 'chunk' && e.task.startsWith('Task')).map((e) => e.task);
  return tasks.filter((task, i) => task !== tasks[i - 1]);
}

/** Heartbeats recorded strictly between the first and the last chunk of `task`. */
function beatsDuring(timeline: Timeline, task: string): number {
  const chunks = timeline.entriesOf(task);
  const [from, to] = [chunks[0].start, chunks[chunks.length - 1].start];
  return timeline.entriesOf('heartbeat').filter((e) => e.start > from && e.start < to).length;
}

/**
 * Runs client 1.0 or its broken variant against three servers sending every 10 ms, with a heartbeat
 * every 5 ms, and checks that every poem arrived byte for byte.
 */
async function runWithHeartbeat(run: typeof runClient1) {
  reactor = new SelectReactor();
  const servers = await serve(POEMS, 0.01);
  const out = printed();
  const timeline = new Timeline();
  const stopBeating = heartbeat(timeline, 0.005);
  const result = await run(addressesOf(servers), { reactor, log: out.log, timeline });
  stopBeating();
  POEMS.forEach((name, i) => expect(result.poems[i].equals(poemBytes(name)), name).toBe(true));
  return { servers, out, timeline };
}

describe('client 1.0: runClient1 and PoetrySocket', () => {
  it('gets every poem byte for byte, interleaved, printing as the original', async () => {
    const { servers, out, timeline } = await runWithHeartbeat(runClient1);
    for (const line of out.lines.slice(0, -4)) {
      expect(line).toMatch(/^Task \d: got \d+ bytes of poetry from 127\.0\.0\.1:\d+$|^Task \d finished$/);
    }
    servers.forEach((server, i) => {
      const got = out.lines.filter((line) => line.startsWith(`Task ${i + 1}: got `));
      expect(got.every((line) => line.endsWith(` from 127.0.0.1:${server.port}`))).toBe(true);
      expect(got.reduce((sum, line) => sum + Number(line.split(' ')[3]), 0)).toBe(poemBytes(POEMS[i]).length);
      expect(out.lines.indexOf(`Task ${i + 1} finished`)).toBeGreaterThan(out.lines.lastIndexOf(got[got.length - 1]));
    });
    expect(out.lines.slice(-4, -1)).toEqual(POEMS.map((name, i) => `Task ${i + 1}: ${poemBytes(name).length} bytes of poetry`));
    expect(out.lines.at(-1)).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
    // The tasks take turns, and timers still fire while a poem comes in.
    expect(runsOfTasks(timeline).length).toBeGreaterThan(3);
    expect(beatsDuring(timeline, 'Task 1')).toBeGreaterThan(0);
  });

  it('ends a task whose connection is refused, and still finishes', async () => {
    reactor = new SelectReactor();
    const [server] = await serve(['science']);
    const out = printed();
    const result = await runClient1([['127.0.0.1', server.port], ['127.0.0.1', await freePort()]], { reactor, log: out.log });
    expect(result.poems[0].equals(poemBytes('science'))).toBe(true);
    expect(result.poems[1]).toHaveLength(0);
    expect(out.lines.slice(-3)).toEqual([`Task 1: ${poemBytes('science').length} bytes of poetry`, 'Task 2: 0 bytes of poetry', expect.stringMatching(/^Got 2 poems in /)]);
  });

  it('rejects an empty list of addresses (the reactor would never stop)', async () => {
    reactor = new SelectReactor();
    await expect(runClient1([], { reactor })).rejects.toThrow(TypeError);
  });
});

describe('client 1.0, broken: runClient1Broken', () => {
  it('gets every poem, but its doRead blocks: one whole poem at a time, and no timer fires meanwhile', async () => {
    const { servers, out, timeline } = await runWithHeartbeat(runClient1Broken);
    // One "got" line per task, with the whole poem.
    expect(out.lines.filter((line) => line.includes(' got '))).toEqual(
      servers.map((s, i) => `Task ${i + 1}: got ${poemBytes(POEMS[i]).length} bytes of poetry from 127.0.0.1:${s.port}`),
    );
    expect(out.lines.filter((line) => line.endsWith(' finished'))).toHaveLength(3);
    expect(out.lines.at(-1)).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
    // While task 1 is read, task by task: no chunk of another task and no heartbeat comes in between.
    expect(runsOfTasks(timeline)).toEqual(['Task 1', 'Task 2', 'Task 3']);
    expect(timeline.entriesOf('Task 1').length).toBeGreaterThan(1);
    expect(beatsDuring(timeline, 'Task 1')).toBe(0);
  });
});

describe('client 2.0: runClient2, PoetryProtocol and PoetryClientFactory', () => {
  it('gets every poem byte for byte, printing as the original', async () => {
    reactor = new SelectReactor();
    const servers = await serve(POEMS);
    const out = printed();
    const result = await runClient2(addressesOf(servers), { reactor, log: out.log });
    expect(result.poems).toHaveLength(3);
    // Tasks are numbered as the connections are made: find each task's server from its lines.
    result.poems.forEach((got, i) => {
      const lines = out.lines.filter((line) => line.startsWith(`Task ${i + 1}: got `));
      const port = Number(lines[0].split(':').pop());
      expect(lines.every((line) => line.endsWith(` from 127.0.0.1:${port}`))).toBe(true);
      const name = POEMS[servers.findIndex((s) => s.port === port)];
      expect(got.equals(poemBytes(name)), name).toBe(true);
      expect(out.lines).toContain(`Task ${i + 1}: ${poemBytes(name).length} bytes of poetry`);
    });
    for (const line of out.lines.slice(0, -4)) expect(line).toMatch(/^Task \d: got \d+ bytes of poetry from 127\.0\.0\.1:\d+$/);
    expect(out.lines.at(-1)).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
  });

  it('prints "Failed to connect to:" for a refused connection, counts it as done, and finishes', async () => {
    reactor = new SelectReactor();
    const [server] = await serve(['science']);
    const closed = await freePort();
    const out = printed();
    const result = await runClient2([['127.0.0.1', closed], ['127.0.0.1', server.port]], { reactor, log: out.log });
    expect(result.poems).toHaveLength(1);
    expect(result.poems[0].equals(poemBytes('science'))).toBe(true);
    expect(out.lines).toContain(`Failed to connect to: 127.0.0.1:${closed}`);
    expect(out.lines.at(-1)).toMatch(new RegExp(`^Got 2 poems in ${ELAPSED}$`));
  });
});

describe('client 2.0, simple edition: runClient2Simple', () => {
  it('gets every poem byte for byte and prints the poems, nothing else', async () => {
    reactor = new SelectReactor();
    const servers = await serve(POEMS);
    const out = printed();
    const result = await runClient2Simple(addressesOf(servers), { reactor, log: out.log });
    expect(result.poems.map((got) => got.toString()).sort()).toEqual(POEMS.map((name) => poemBytes(name).toString()).sort());
    // The poems, in the order they were finished.
    expect(out.lines).toEqual(result.poems.map((got) => got.toString()));
  });

  it('prints "Failed to connect to:" for a refused connection, counts it as done, and finishes', async () => {
    reactor = new SelectReactor();
    const [server] = await serve(['science']);
    const closed = await freePort();
    const out = printed();
    const result = await runClient2Simple([['127.0.0.1', closed], ['127.0.0.1', server.port]], { reactor, log: out.log });
    expect(result.poems).toHaveLength(1);
    expect(result.poems[0].equals(poemBytes('science'))).toBe(true);
    expect(out.lines).toEqual([`Failed to connect to: 127.0.0.1:${closed}`, poemBytes('science').toString()]);
  });
});

describe('client 2.0, stack edition: runClient2Stack', () => {
  it("prints dataReceived's stack: the transport's doRead, called from the reactor's doIteration", async () => {
    reactor = new SelectReactor();
    const [server] = await serve(['science']);
    const out = printed();
    await runClient2Stack([['127.0.0.1', server.port]], { reactor, log: out.log });
    const stack = out.lines[0];
    expect(stack).toMatch(/^Error: Task 1: the stack of dataReceived\n/);
    const frames = stack.split('\n').slice(1);
    const at = (pattern: RegExp): number => frames.findIndex((frame) => pattern.test(frame));
    expect(at(/PoetryProtocol\.dataReceived/)).toBe(0);
    expect(at(/\.doRead /)).toBeGreaterThan(0);
    expect(at(/SelectReactor\.doIteration/)).toBeGreaterThan(at(/\.doRead /));
    expect(out.lines.slice(1)).toEqual(['Task 1: 0 bytes of poetry', expect.stringMatching(/^Got 1 poems in /)]);
  });
});

describe('client 3.0: getPoetry(host, port, callback) and runClient3', () => {
  it('calls back with every poem, and prints the poems', async () => {
    reactor = new SelectReactor();
    const servers = await serve(POEMS);
    const out = printed();
    const result = await runClient3(addressesOf(servers), { reactor, log: out.log });
    const sorted = (poems: Buffer[]): string[] => poems.map(String).sort();
    expect(sorted(result.poems)).toEqual(sorted(POEMS.map(poemBytes)));
    expect(out.lines).toEqual(result.poems.map(String));
  });

  it('never hears of a refused connection: the reactor runs on until someone stops it', async () => {
    reactor = new SelectReactor();
    const [server] = await serve(['science']);
    let stoppedByHand = false;
    const guard = reactor.callLater(1, () => {
      stoppedByHand = true;
      reactor.stop();
    });
    const result = await runClient3([['127.0.0.1', server.port], ['127.0.0.1', await freePort()]], { reactor, log: () => {} });
    if (guard.active()) guard.cancel();
    expect(stoppedByHand).toBe(true);
    expect(result.poems).toHaveLength(1);
    expect(result.poems[0].equals(poemBytes('science'))).toBe(true);
  });
});

describe('client 3.1: getPoetry(host, port, callback, errback) and runClient31', () => {
  it('calls the errback for a refused connection, prints "Poem failed:", and finishes', async () => {
    reactor = new SelectReactor();
    const servers = await serve(['science', 'fascination']);
    const closed = await freePort();
    const out = printed();
    const result = await runClient31([['127.0.0.1', servers[0].port], ['127.0.0.1', closed], ['127.0.0.1', servers[1].port]], {
      reactor,
      log: out.log,
      logError: out.logError,
    });
    expect(result.poems.map(String).sort()).toEqual([poemBytes('science'), poemBytes('fascination')].map(String).sort());
    expect(result.errors).toHaveLength(1);
    const [failure] = result.errors as [Failure];
    expect(failure.check(ConnectionRefusedError)).toBe(ConnectionRefusedError);
    expect(out.errors).toEqual([`Poem failed: [Failure instance: ConnectionRefusedError: ${failure.getErrorMessage()}]`]);
    expect(failure.getErrorMessage()).toContain(`127.0.0.1:${closed}`);
    expect(out.lines).toEqual(result.poems.map(String));
  });
});
