// Chapter 15: the poetry client and server tested as Part 15 tests them: first deterministic,
// with a Clock for time and StringTransport for the network, fed whole and one byte at a time;
// then for real, on loopback.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../lib/defer/errors';
import { Failure } from '../../lib/defer/failure';
import { MAX_BYTES, PoemTooLongError } from '../../lib/blocking/poem-limits';
import { getPoetry, PoetryClientFactory, type PoetryClientOptions } from '../../lib/poetry/get-poetry';
import { SlowPoetryFactory } from '../../lib/poetry/slow-server';
import { MemoryReactor, StringTransport, StringTransportWithDisconnection } from '../../lib/protocol/testing';
import { Clock } from '../../lib/reactor/clock';
import { ConnectionDone, ConnectionLost, ConnectionRefusedError } from '../../lib/reactor/errors';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { Deferred } from '../../lib/defer/deferred';
import { SocketTimeoutError } from '../../lib/sockets/errors';
import { poem } from '../helpers/cli';
import { freePort } from '../helpers/net';

const POEM = readFileSync(poem('science'));
const address = { type: 'TCP', host: '127.0.0.1', port: 10000 } as const;

/** A server protocol on a StringTransport, timed by a Clock. */
function slowServer(numBytes: number, delay: number): { clock: Clock; transport: StringTransport; lines: string[] } {
  const clock = new Clock();
  const lines: string[] = [];
  const factory = new SlowPoetryFactory(POEM, { numBytes, delay, clock, log: (line) => lines.push(line) });
  const protocol = factory.buildProtocol(address);
  const transport = new StringTransport();
  protocol?.makeConnection(transport);
  return { clock, transport, lines };
}

describe('SlowPoetryProtocol, with a Clock and a StringTransport', () => {
  it('sends the first chunk at once and the next one each time the delay passes', () => {
    const { clock, transport } = slowServer(100, 0.5);
    expect(transport.value()).toEqual(POEM.subarray(0, 100));
    clock.advance(0.49);
    expect(transport.value().length).toBe(100);
    clock.advance(0.01);
    expect(transport.value()).toEqual(POEM.subarray(0, 200));
  });

  it('sends the whole poem, then closes after one more delay, leaving no call pending', () => {
    const { clock, transport, lines } = slowServer(100, 0.5);
    const chunks = Math.ceil(POEM.length / 100);
    clock.pump(Array(chunks - 1).fill(0.5));
    expect(transport.value()).toEqual(POEM);
    expect(transport.disconnecting).toBe(false);
    clock.advance(0.5);
    expect(transport.disconnecting).toBe(true);
    expect(clock.getDelayedCalls()).toEqual([]);
    expect(lines[0]).toBe("Somebody at ('127.0.0.1', 54321) wants poetry!");
    expect(lines.filter((line) => line.startsWith('Sending'))).toHaveLength(chunks);
  });

  it('cancels its next chunk when the client goes away', () => {
    const clock = new Clock();
    const factory = new SlowPoetryFactory(POEM, { numBytes: 10, delay: 1, clock, log: () => {} });
    const protocol = factory.buildProtocol(address);
    protocol?.makeConnection(new StringTransport());
    expect(clock.getDelayedCalls()).toHaveLength(1);
    protocol?.connectionLost(new Failure(new ConnectionLost('gone')));
    expect(clock.getDelayedCalls()).toEqual([]);
  });
});

/** A client protocol on a StringTransport, and the Deferred its factory fires. */
function poetryClient(options: PoetryClientOptions = {}): {
  deferred: Deferred<string>;
  transport: StringTransport;
  feed: (data: Buffer) => void;
  lose: (reason: Error) => void;
} {
  const deferred = new Deferred<string>();
  const protocol = new PoetryClientFactory(deferred, options).buildProtocol(address);
  const transport = new StringTransport();
  protocol?.makeConnection(transport);
  return {
    deferred,
    transport,
    feed: (data) => protocol?.dataReceived(data),
    lose: (reason) => protocol?.connectionLost(new Failure(reason)),
  };
}

/** What a Deferred failed with, or undefined while it has not failed. */
function failureOf(d: Deferred<unknown>): unknown {
  let value: unknown;
  d.addErrback((failure: Failure) => void (value = failure.value));
  return value;
}

describe('PoetryProtocol, fed through a StringTransport', () => {
  it.each([
    ['all at once', [POEM]],
    ['one byte at a time', [...POEM].map((byte) => Buffer.of(byte))],
  ])('gives the whole poem to the Deferred when fed %s', (_how, chunks) => {
    const client = poetryClient();
    for (const chunk of chunks) client.feed(chunk);
    expect(client.deferred.called).toBe(false);
    client.lose(new ConnectionDone('done'));
    expect(client.deferred.result).toBe(POEM.toString('utf8'));
  });

  it('keeps a character whose bytes arrive apart', () => {
    const client = poetryClient();
    const text = Buffer.from('perché');
    for (const byte of text) client.feed(Buffer.of(byte));
    client.lose(new ConnectionDone('done'));
    expect(client.deferred.result).toBe('perché');
  });

  it('fails the Deferred when the connection breaks before the end', () => {
    const client = poetryClient();
    client.feed(POEM.subarray(0, 10));
    client.lose(new ConnectionLost('reset'));
    const failures: Failure[] = [];
    client.deferred.addErrback((failure) => void failures.push(failure));
    expect(failures[0].value).toBeInstanceOf(ConnectionLost);
  });
});

describe('PoetryProtocol, bounded by maxBytes', () => {
  it.each([
    ['all at once', (data: Buffer) => [data]],
    ['one byte at a time', (data: Buffer) => [...data].map((byte) => Buffer.of(byte))],
  ])('takes a poem of exactly maxBytes, fed %s', (_how, cut) => {
    const client = poetryClient({ maxBytes: POEM.length });
    for (const chunk of cut(POEM)) client.feed(chunk);
    client.lose(new ConnectionDone('done'));
    expect(client.deferred.result).toBe(POEM.toString('utf8'));
    expect(client.transport.disconnecting).toBe(false);
  });

  it.each([
    ['all at once', (data: Buffer) => [data]],
    ['one byte at a time', (data: Buffer) => [...data].map((byte) => Buffer.of(byte))],
  ])('fails with PoemTooLongError at one byte more and aborts the connection, fed %s', (_how, cut) => {
    const client = poetryClient({ maxBytes: POEM.length - 1 });
    const chunks = cut(POEM);
    for (const chunk of chunks.slice(0, -1)) client.feed(chunk);
    expect(client.deferred.called).toBe(false);
    expect(client.transport.disconnected).toBe(false);
    client.feed(chunks.at(-1) as Buffer);
    const error = failureOf(client.deferred);
    expect(error).toBeInstanceOf(PoemTooLongError);
    expect(error).toMatchObject({ name: 'PoemTooLongError', maxBytes: POEM.length - 1, message: `127.0.0.1:54321 sent more than ${POEM.length - 1} bytes` });
    expect(client.transport.disconnected).toBe(true);
    // More bytes in flight, then the connection's end: nothing fires twice, nothing throws.
    client.feed(POEM);
    client.lose(new ConnectionLost('aborted'));
  });

  it('fails through the errback, once, when the transport reports the abort at once', () => {
    const deferred = new Deferred<string>();
    const protocol = new PoetryClientFactory(deferred, { maxBytes: 10 }).buildProtocol(address);
    const transport = new StringTransportWithDisconnection();
    transport.protocol = protocol ?? undefined;
    protocol?.makeConnection(transport);
    protocol?.dataReceived(Buffer.alloc(11));
    expect(failureOf(deferred)).toBeInstanceOf(PoemTooLongError);
    expect(transport.connected).toBe(false);
  });

  it('defaults to 16 MiB and rejects a limit that is not an integer >= 1', () => {
    expect(new PoetryClientFactory(new Deferred()).maxBytes).toBe(MAX_BYTES);
    expect(MAX_BYTES).toBe(16_777_216);
    for (const bad of [0, -1, 1.5, Number.NaN, '10']) {
      expect(() => new PoetryClientFactory(new Deferred(), { maxBytes: bad as number })).toThrow(TypeError);
    }
    expect(() => new PoetryClientFactory(new Deferred(), { maxBytes: 0 })).toThrow('Expected `maxBytes` to be an integer >= 1, got `0` (number)');
    // The poem becomes a string, which holds about 512 MiB at most.
    expect(() => new PoetryClientFactory(new Deferred(), { maxBytes: 2 ** 30 })).toThrow(TypeError);
  });
});

describe('PoetryProtocol, with an idle timeout on a Clock', () => {
  it('fails with SocketTimeoutError after `timeout` seconds without a byte, and aborts', () => {
    const clock = new Clock();
    const client = poetryClient({ timeout: 2, clock });
    clock.advance(1.99);
    expect(client.deferred.called).toBe(false);
    clock.advance(0.01);
    const error = failureOf(client.deferred);
    expect(error).toBeInstanceOf(SocketTimeoutError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', message: 'recv ETIMEDOUT: nothing from 127.0.0.1:54321 for 2 s' });
    expect(client.transport.disconnected).toBe(true);
    client.lose(new ConnectionLost('aborted'));
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('starts the wait again at every byte, so a slow but steady server is never cut', () => {
    const clock = new Clock();
    const client = poetryClient({ timeout: 2, clock });
    for (const byte of POEM.subarray(0, 50)) {
      clock.advance(1.5);
      client.feed(Buffer.of(byte));
    }
    client.lose(new ConnectionDone('done'));
    expect(client.deferred.result).toBe(POEM.subarray(0, 50).toString('utf8'));
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('leaves no call pending when the connection breaks, and none without a timeout', () => {
    const clock = new Clock();
    const client = poetryClient({ timeout: 2, clock });
    expect(clock.getDelayedCalls()).toHaveLength(1);
    client.lose(new ConnectionLost('reset'));
    expect(clock.getDelayedCalls()).toEqual([]);
    expect(failureOf(client.deferred)).toBeInstanceOf(ConnectionLost);
    poetryClient({ clock });
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('needs a clock for a timeout, and a timeout > 0', () => {
    expect(() => new PoetryClientFactory(new Deferred(), { timeout: 1 })).toThrow(TypeError);
    expect(() => new PoetryClientFactory(new Deferred(), { timeout: 0, clock: new Clock() })).toThrow(TypeError);
  });
});

describe('getPoetry, with a MemoryReactor', () => {
  it('connects to the address given, with a PoetryClientFactory', () => {
    const reactor = new MemoryReactor();
    getPoetry('127.0.0.1', 10000, reactor);
    expect(reactor.tcpClients).toHaveLength(1);
    const [host, port, factory] = reactor.tcpClients[0];
    expect([host, port]).toEqual(['127.0.0.1', 10000]);
    expect(factory).toBeInstanceOf(PoetryClientFactory);
  });

  it('fails with the reason the connection failed', () => {
    const reactor = new MemoryReactor();
    const d = getPoetry('127.0.0.1', 10000, reactor);
    const [, , factory] = reactor.tcpClients[0];
    factory.clientConnectionFailed(reactor.connectors[0], new Failure(new ConnectionRefusedError('refused')));
    const failures: Failure[] = [];
    d.addErrback((failure) => void failures.push(failure));
    expect(failures[0].value).toBeInstanceOf(ConnectionRefusedError);
  });

  it('passes its limits on: timeout is the connect timeout and, on the reactor\'s clock, the idle timeout', () => {
    const reactor = new MemoryReactor();
    const d = getPoetry('127.0.0.1', 10000, reactor, { maxBytes: 5, timeout: 3 });
    const [, , factory, timeout] = reactor.tcpClients[0];
    expect(timeout).toBe(3);
    const protocol = factory.buildProtocol(address);
    protocol?.makeConnection(new StringTransport());
    reactor.advance(3);
    expect(failureOf(d)).toBeInstanceOf(SocketTimeoutError);
    expect(() => getPoetry('127.0.0.1', 10000, reactor, { maxBytes: 0 })).toThrow(TypeError);
    expect(reactor.tcpClients).toHaveLength(1);
  });

  it('drops the connection when cancelled, and fires CancelledError once', () => {
    const reactor = new MemoryReactor();
    const d = getPoetry('127.0.0.1', 10000, reactor);
    const failures: Failure[] = [];
    d.addErrback((failure) => void failures.push(failure));
    d.cancel();
    expect(reactor.connectors[0].disconnected).toBe(true);
    // The connection's end, reported after the cancel, must not fire the Deferred again.
    reactor.tcpClients[0][2].clientConnectionFailed(reactor.connectors[0], new Failure(new ConnectionLost('dropped')));
    expect(failures.map((f) => (f.value as Error).name)).toEqual([CancelledError.name]);
  });
});

describe('the poetry server and client, on loopback', () => {
  it('deliver the poem byte for byte, or the refusal', async () => {
    const reactor = new SelectReactor();
    const port = reactor.listenTCP(0, new SlowPoetryFactory(POEM, { numBytes: 200, delay: 0.01, clock: reactor, log: () => {} }));
    const closed = await freePort();
    const results: unknown[] = [];
    const fetches = [port.getHost().port, closed].map((p) =>
      getPoetry('127.0.0.1', p, reactor).addCallbacks(
        (text) => void results.push(text),
        (failure: Failure) => void results.push(failure.value),
      ),
    );
    Promise.all(fetches.map((d) => d.asPromise())).then(() => reactor.stop());
    await reactor.run();
    await port.stopListening();
    expect(results).toContainEqual(POEM.toString('utf8'));
    expect(results.find((r) => r instanceof Error)).toBeInstanceOf(ConnectionRefusedError);
  });
});
