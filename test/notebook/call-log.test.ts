import { afterEach, describe, expect, it } from 'vitest';
import { CallLog, traceConnection } from '../../lib/notebook/call-log';
import { recordChunks } from '../../lib/notebook/record-chunks';
import { runClient2 } from '../../lib/poetry/clients/client-2';
import { runClient3 } from '../../lib/poetry/clients/client-3';
import { Clock } from '../../lib/reactor/clock';
import { EpollReactor } from '../../lib/reactor/epoll-reactor';
import { Timeline } from '../../lib/timing/timeline';
import { poem, poemBytes } from '../helpers/cli';
import { type Server, startServer, stopAll } from '../helpers/programs';
import { expectClean } from '../helpers/reactor';

/** Two objects that call each other: a reader that hands lines to a parser. */
function pair() {
  const parser = {
    lines: [] as string[],
    line(text: string): void {
      this.lines.push(text);
    },
  };
  const reader = {
    read(text: string): number {
      for (const line of text.split('\n')) parser.line(line);
      return text.length;
    },
  };
  return { parser, reader };
}

describe('CallLog.trace', () => {
  it('logs each call with its caller: the traced call under way, or the outside', () => {
    const clock = new Clock();
    const log = new CallLog(() => 'test', () => clock.seconds());
    const { parser, reader } = pair();
    log.trace(reader, 'reader', ['read', 'missing']);
    log.trace(parser, 'parser', ['line']);
    clock.advance(0.5);
    expect(reader.read('a\nb')).toBe(3);
    expect(parser.lines).toEqual(['a', 'b']);
    expect(log.calls).toEqual([
      { from: 'test', to: 'reader', method: 'read', at: 0.5, depth: 0 },
      { from: 'reader', to: 'parser', method: 'line', at: 0.5, depth: 1 },
      { from: 'reader', to: 'parser', method: 'line', at: 0.5, depth: 1 },
    ]);
  });

  it('runs the hooks around each call; a silent trace runs them without logging', () => {
    const log = new CallLog();
    const { parser, reader } = pair();
    const seen: string[] = [];
    log.trace(reader, 'reader', ['read'], { before: (m, args) => seen.push(`${m}(${String(args[0])})`), after: (m, r) => seen.push(`= ${String(r)}`) });
    log.trace(parser, 'parser', ['line'], { silent: true, before: () => seen.push('line') });
    reader.read('x');
    expect(seen).toEqual(['read(x)', 'line', '= 1']);
    expect(log.calls.map((c) => `${c.from}>${c.to}.${c.method}`)).toEqual(['outside>reader.read']);
  });

  it('keeps its stack right when a traced method throws, and restore puts every method back', () => {
    const log = new CallLog();
    const failing = {
      fail(): void {
        throw new RangeError('no');
      },
    };
    const { reader } = pair();
    const original = reader.read;
    log.trace(failing, 'failing', ['fail']);
    log.trace(reader, 'reader', ['read']);
    expect(() => failing.fail()).toThrow(RangeError);
    reader.read('');
    expect(log.calls.map((c) => c.from)).toEqual(['outside', 'outside']);
    log.restore();
    expect(reader.read).toBe(original);
    expect(Object.keys(failing)).toEqual(['fail']);
    reader.read('');
    expect(log.calls).toHaveLength(2);
  });
});

describe('traceConnection and recordChunks, on a real client run', () => {
  let reactor: EpollReactor;
  afterEach(async () => {
    await stopAll();
    expectClean(reactor);
  });
  const serve = (name: string, delay = 0.002): Promise<Server> => startServer('slowpoetry', ['--delay', String(delay), '--num-bytes', '100', poem(name)]);

  it('traceConnection: client 2.0 connects, receives through transport and protocol, and the factory stops the reactor', async () => {
    reactor = new EpollReactor();
    const server = await serve('science');
    const log = traceConnection(reactor);
    try {
      await runClient2([['127.0.0.1', server.port]], { reactor, log: () => {} });
    } finally {
      log.restore();
    }
    const arrows = log.calls.map((c) => `${c.from}>${c.to}.${c.method}`);
    expect(arrows.slice(0, 2)).toEqual(['program>reactor.connectTCP', 'reactor>factory.startedConnecting']);
    expect(arrows).toContain('transport>factory.buildProtocol');
    expect(arrows).toContain('transport>protocol.makeConnection');
    expect(arrows).toContain('protocol>protocol.connectionMade');
    // Every chunk comes from the reactor, through the transport, to the protocol.
    const data = log.calls.filter((c) => c.method === 'dataReceived');
    expect(data.length).toBeGreaterThan(0);
    for (const call of data) expect([call.from, call.depth]).toEqual(['transport', 1]);
    data.forEach((call) => expect(log.calls[log.calls.indexOf(call) - 1].method).toBe('doRead'));
    expect(log.calls.filter((c) => c.method === 'doRead').every((c) => c.from === 'reactor' && c.depth === 0)).toBe(true);
    expect(arrows).toContain('factory>reactor.stop');
    expect(arrows.at(-1)).toBe('transport>factory.clientConnectionLost');
    // Nothing traced is left on the reactor.
    expect(Object.prototype.hasOwnProperty.call(reactor, 'connectTCP')).toBe(false);
  });

  it('traceConnection: a stop before any connection is logged, and nothing else is traced', async () => {
    reactor = new EpollReactor();
    const log = traceConnection(reactor);
    try {
      reactor.callWhenRunning(() => reactor.stop());
      await reactor.run();
    } finally {
      log.restore();
    }
    expect(log.calls.map((c) => `${c.from}>${c.to}.${c.method}`)).toEqual(['reactor>reactor.stop']);
  });

  it('recordChunks: each connection is a task of the timeline, in the order connectTCP was called', async () => {
    reactor = new EpollReactor();
    const servers = [await serve('science'), await serve('alla_sera')];
    const timeline = new Timeline();
    const recording = recordChunks(reactor, timeline);
    let poems: Buffer[];
    try {
      ({ poems } = await runClient3(servers.map((s) => ['127.0.0.1', s.port] as const), { reactor, log: () => {} }));
    } finally {
      recording.restore();
    }
    expect(poems).toHaveLength(2);
    const bytes = (task: string) => timeline.entriesOf(task).reduce((sum, e) => sum + (e.bytes ?? 0), 0);
    expect(bytes('Task 1')).toBe(poemBytes('science').length);
    expect(bytes('Task 2')).toBe(poemBytes('alla_sera').length);
    expect(timeline.entries.every((e) => e.kind === 'chunk')).toBe(true);
  });
});
