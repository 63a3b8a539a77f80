import { describe, expect, it } from 'vitest';
import { Failure } from '../../lib/defer/failure';
import { recordConnections } from '../../lib/notebook/connection-timeline';
import { getPoetry } from '../../lib/poetry/get-poetry';
import { MemoryReactor, StringTransport } from '../../lib/protocol/testing';
import { ConnectionDone, ConnectionRefusedError } from '../../lib/reactor/errors';
import { Timeline } from '../../lib/timing/timeline';

const XFORM = 11000;

/** A MemoryReactor seen through recordConnections: downloads named by port, transforms by cause. */
function recorded(): { memory: MemoryReactor; timeline: Timeline; reactor: MemoryReactor } {
  const memory = new MemoryReactor();
  const timeline = new Timeline(() => memory.seconds());
  const reactor = recordConnections(memory, timeline, (port, cause) =>
    port === XFORM
      ? cause === undefined
        ? undefined
        : { task: cause, lane: `${cause} transform` }
      : { task: `Task ${port - 10000}`, lane: `Task ${port - 10000} download` },
  );
  return { memory, timeline, reactor };
}

describe('recordConnections', () => {
  it('records a download as a span with a tick per chunk, fed whole or a byte at a time', () => {
    for (const cuts of [['a poem'], [...'a poem']]) {
      const { memory, timeline, reactor } = recorded();
      const d = getPoetry('127.0.0.1', 10001, reactor);
      memory.clock.advance(1);
      const protocol = memory.tcpClients[0][2].buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 10001 });
      protocol?.makeConnection(new StringTransport());
      for (const cut of cuts) {
        memory.clock.advance(0.5);
        protocol?.dataReceived(Buffer.from(cut));
      }
      protocol?.connectionLost(new Failure(new ConnectionDone()));
      let poem = '';
      d.addCallback((text: string) => void (poem = text));
      expect(poem).toBe('a poem');
      const chunks = timeline.entries.filter((e) => e.kind === 'chunk');
      expect(chunks).toHaveLength(cuts.length);
      expect(chunks.every((e) => e.lane === 'Task 1 download')).toBe(true);
      const spans = timeline.entries.filter((e) => e.kind === 'wait');
      expect(spans).toEqual([{ task: 'Task 1', lane: 'Task 1 download', kind: 'wait', start: 0, end: 1 + 0.5 * cuts.length }]);
    }
  });

  it('names a connection made while a download ends after that download (the transform)', () => {
    const { memory, timeline, reactor } = recorded();
    getPoetry('127.0.0.1', 10002, reactor).addCallback(() => getPoetry('127.0.0.1', XFORM, reactor));
    getPoetry('127.0.0.1', XFORM, reactor); // made by nobody's end: left out
    const protocol = memory.tcpClients[0][2].buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 10002 });
    protocol?.makeConnection(new StringTransport());
    protocol?.connectionLost(new Failure(new ConnectionDone()));
    expect(memory.tcpClients.map(([, port]) => port)).toEqual([10002, XFORM, XFORM]);
    memory.clock.advance(2);
    const transform = memory.tcpClients[2][2].buildProtocol({ type: 'TCP', host: '127.0.0.1', port: XFORM });
    transform?.makeConnection(new StringTransport());
    transform?.connectionLost(new Failure(new ConnectionDone()));
    expect(timeline.entries.map((e) => [e.lane, e.start, e.end])).toEqual([
      ['Task 2 download', 0, 0],
      ['Task 2 transform', 0, 2],
    ]);
  });

  it('names a connection made after a download ended, outside its end, after the last one to end', async () => {
    const { memory, timeline, reactor } = recorded();
    getPoetry('127.0.0.1', 10004, reactor).addCallback(async () => {
      await Promise.resolve(); // resumed a microtask later, as an async function is
      getPoetry('127.0.0.1', XFORM, reactor);
    });
    const protocol = memory.tcpClients[0][2].buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 10004 });
    protocol?.makeConnection(new StringTransport());
    protocol?.connectionLost(new Failure(new ConnectionDone()));
    await new Promise((resolve) => setTimeout(resolve, 0));
    memory.clock.advance(1);
    const transform = memory.tcpClients[1][2].buildProtocol({ type: 'TCP', host: '127.0.0.1', port: XFORM });
    transform?.makeConnection(new StringTransport());
    transform?.connectionLost(new Failure(new ConnectionDone()));
    expect(timeline.entries.map((e) => e.lane)).toEqual(['Task 4 download', 'Task 4 transform']);
  });

  it('ends the span of a connection that failed, and passes everything else to the reactor', () => {
    const { memory, timeline, reactor } = recorded();
    const d = getPoetry('127.0.0.1', 10003, reactor);
    let reason: unknown;
    d.addErrback((failure: Failure) => void (reason = failure.value));
    memory.clock.advance(0.25);
    const [connector] = memory.connectors;
    memory.tcpClients[0][2].clientConnectionFailed(connector, new Failure(new ConnectionRefusedError('refused')));
    expect(reason).toBeInstanceOf(ConnectionRefusedError);
    expect(timeline.entries).toEqual([{ task: 'Task 3', lane: 'Task 3 download', kind: 'wait', start: 0, end: 0.25 }]);
    expect(reactor.seconds()).toBe(0.25);
    expect(reactor.clock).toBe(memory.clock);
  });

  it('rejects a name that is not a function', () => {
    expect(() => recordConnections(new MemoryReactor(), new Timeline(), 'Task' as never)).toThrow(
      'Expected `name` to be a function, got `Task` (string)',
    );
  });
});
