// Chapter 15 (tested poetry: in-memory transports and a memory reactor). Tests: test/protocol/testing.test.ts.
//
// TEST DOUBLES, as Twisted's twisted.internet.testing (formerly twisted.test.proto_helpers):
// stand-ins for a connection and a reactor that record what code does to them, so protocols
// and factories can be tested without sockets or time. Not for production code.
import type { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { succeed } from '../defer/maybe-deferred';
import { Clock } from '../reactor/clock';
import type { DelayedCall } from '../reactor/delayed-call';
import { ConnectionDone, ConnectionLost, ReactorAlreadyRunning, ReactorNotRunning } from '../reactor/errors';
import type {
  IAddress,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorCore,
  IReactorTCP,
  IReactorTime,
  ITransport,
} from '../reactor/interfaces';

/** What a `StringTransport` does with pauseProducing, resumeProducing and stopProducing. */
export type ProducerState = 'producing' | 'paused' | 'stopped';

/** Options of `new StringTransport()`. */
export interface StringTransportOptions {
  /** What `getHost()` returns (default 127.0.0.1:12345). */
  hostAddress?: IAddress;
  /** What `getPeer()` returns (default 127.0.0.1:54321). */
  peerAddress?: IAddress;
  /** Allow `pauseProducing`/`resumeProducing` after `loseConnection` (default false: they throw). */
  lenient?: boolean;
}

/**
 * A TEST DOUBLE transport, as Twisted's `StringTransport`: keeps what is written in memory
 * (`value()`), and records what is asked of it (`disconnecting`, `disconnected`,
 * `producerState`) without doing anything. Implements ITransport.
 *
 * Use: `protocol.makeConnection(transport)`, feed `protocol.dataReceived(...)`, then check
 * `transport.value()`. Nothing calls `connectionLost`: call it yourself, or use
 * `StringTransportWithDisconnection`.
 */
export class StringTransport implements ITransport {
  /** True once `loseConnection` (or `abortConnection`) was called. */
  disconnecting = false;
  /** True once `abortConnection` was called (Twisted's name for "aborted"). */
  disconnected = false;
  /** True until a `StringTransportWithDisconnection` delivers `connectionLost`. */
  connected = true;
  /** See `ProducerState`: 'producing' until `pauseProducing` or `stopProducing`. */
  producerState: ProducerState = 'producing';
  /** The address `getHost()` returns. */
  hostAddress: IAddress;
  /** The address `getPeer()` returns. */
  peerAddress: IAddress;

  #written: Buffer[] = [];
  readonly #lenient: boolean;

  /** @param options - addresses, and whether to be lenient; see StringTransportOptions. */
  constructor(options: StringTransportOptions = {}) {
    this.hostAddress = options.hostAddress ?? { type: 'TCP', host: '127.0.0.1', port: 12345 };
    this.peerAddress = options.peerAddress ?? { type: 'TCP', host: '127.0.0.1', port: 54321 };
    this.#lenient = options.lenient ?? false;
  }

  /** @returns every byte written since creation or the last `clear()`. Not a transport method. */
  value(): Buffer {
    if (this.#written.length > 1) this.#written = [Buffer.concat(this.#written)];
    return this.#written[0] ?? Buffer.alloc(0);
  }

  /** Forget what was written so far. Not a transport method. */
  clear(): void {
    this.#written = [];
  }

  /**
   * See ITransport.write: keeps the bytes (a string as UTF-8), even after `loseConnection`.
   * @throws TypeError when `data` is neither bytes nor a string.
   */
  write(data: Uint8Array | string): void {
    if (typeof data === 'string') this.#written.push(Buffer.from(data));
    else if (data instanceof Uint8Array) this.#written.push(Buffer.from(data));
    else throw new TypeError(`Expected \`data\` to be a Uint8Array or a string, got \`${String(data)}\` (${typeof data})`);
  }

  /** See ITransport.writeSequence. @throws TypeError as `write`. */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    for (const chunk of data) this.write(chunk);
  }

  /** See ITransport.loseConnection: only sets `disconnecting`. */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /** See ITransport.abortConnection: sets `disconnected` and `disconnecting`. */
  abortConnection(): void {
    this.disconnected = true;
    this.disconnecting = true;
  }

  /** See ITransport.getPeer. @returns `peerAddress`. */
  getPeer(): IAddress {
    return this.peerAddress;
  }

  /** See ITransport.getHost. @returns `hostAddress`. */
  getHost(): IAddress {
    return this.hostAddress;
  }

  /**
   * See ITransport.pauseProducing: sets `producerState` to 'paused'.
   * @throws Error after `loseConnection` (unless lenient) or `stopProducing`, as Twisted's.
   */
  pauseProducing(): void {
    this.#checkState();
    this.producerState = 'paused';
  }

  /**
   * See ITransport.resumeProducing: sets `producerState` to 'producing'.
   * @throws Error after `loseConnection` (unless lenient) or `stopProducing`: code that resumes
   *   a closed connection should not expect more data.
   */
  resumeProducing(): void {
    this.#checkState();
    this.producerState = 'producing';
  }

  /** See ITransport.stopProducing: sets `producerState` to 'stopped'. */
  stopProducing(): void {
    this.producerState = 'stopped';
  }

  #checkState(): void {
    if (this.disconnecting && !this.#lenient) throw new Error('Cannot resume producing after loseConnection');
    if (this.producerState === 'stopped') throw new Error('Cannot resume a stopped producer');
  }
}

/**
 * A TEST DOUBLE transport that also delivers the end of the connection, as Twisted's
 * `StringTransportWithDisconnection`: `loseConnection` calls `protocol.connectionLost` with
 * `ConnectionDone` (once), so code that closes its own connection can be tested end to end.
 * Set `protocol` before closing.
 *
 * Differences from Twisted's: `loseConnection` sets `disconnecting` too, as a real transport
 * does, and `abortConnection` delivers `ConnectionLost`, not `ConnectionDone`.
 */
export class StringTransportWithDisconnection extends StringTransport {
  /** The protocol told of the disconnection. */
  protocol: IProtocol | undefined = undefined;

  /** @throws Error when `protocol` is not set. */
  override loseConnection(): void {
    super.loseConnection();
    this.#disconnect(new ConnectionDone('Bye.'));
  }

  /** @throws Error when `protocol` is not set. */
  override abortConnection(): void {
    super.abortConnection();
    this.#disconnect(new ConnectionLost('Connection was aborted.'));
  }

  #disconnect(reason: Error): void {
    if (!this.connected) return;
    const protocol = this.protocol;
    if (protocol === undefined) throw new Error('StringTransportWithDisconnection.protocol must be set before closing');
    this.connected = false;
    protocol.connectionLost(new Failure(reason));
  }
}

/** A TEST DOUBLE listening port returned by `MemoryReactor.listenTCP`: records `stopListening`. */
export class FakeListeningPort implements IListeningPort {
  /** True until `stopListening`. */
  listening = true;

  /**
   * @param address - what `getHost()` returns.
   * @param factory - told `doStop` when the port stops, as a real port does.
   */
  constructor(
    readonly address: IAddress,
    readonly factory: IProtocolFactory,
  ) {}

  /** See IListeningPort.getHost. @returns `address`. */
  getHost(): IAddress {
    return this.address;
  }

  /**
   * See IListeningPort.stopListening: sets `listening` to false and calls the factory's `doStop`
   * (the first time only).
   * @returns a Deferred that has fired already.
   */
  stopListening(): Deferred<void> {
    if (this.listening) {
      this.listening = false;
      this.factory.doStop();
    }
    return succeed(undefined);
  }
}

/**
 * A TEST DOUBLE connector returned by `MemoryReactor.connectTCP`, as Twisted's `_FakeConnector`:
 * records what is asked of it; it never connects.
 */
export class FakeConnector implements IConnector {
  /** True once `stopConnecting` was called. */
  stoppedConnecting = false;
  /** True once `disconnect` was called. */
  disconnected = false;
  /** How many times `connect` was called (a reconnection, for instance). */
  connectCalls = 0;

  /** @param destination - what `getDestination()` returns. */
  constructor(readonly destination: IAddress) {}

  /** See IConnector.getDestination. @returns `destination`. */
  getDestination(): IAddress {
    return this.destination;
  }

  /** See IConnector.connect: counts the call. */
  connect(): void {
    this.connectCalls += 1;
  }

  /** See IConnector.disconnect: sets `disconnected`. */
  disconnect(): void {
    this.disconnected = true;
  }

  /** See IConnector.stopConnecting: sets `stoppedConnecting`. */
  stopConnecting(): void {
    this.stoppedConnecting = true;
  }
}

/** A `listenTCP` call recorded by `MemoryReactor`: `[port, factory, backlog, interface]`. */
export type RecordedTCPServer = [port: number, factory: IProtocolFactory, backlog: number, iface: string];

/** A `connectTCP` call recorded by `MemoryReactor`: `[host, port, factory, timeout]`. */
export type RecordedTCPClient = [host: string, port: number, factory: IClientFactory, timeout: number];

// The defaults a real reactor uses, recorded when the caller gives none (see IReactorTCP).
const DEFAULT_BACKLOG = 511;
const DEFAULT_INTERFACE = '127.0.0.1';
const DEFAULT_CONNECT_TIMEOUT = 30;
// Ports handed out for `listenTCP(0, ...)`, as an OS picks from its ephemeral range.
const FIRST_EPHEMERAL_PORT = 49152;

/**
 * A TEST DOUBLE reactor, as Twisted's `MemoryReactorClock`: `listenTCP` and `connectTCP` record
 * their arguments (`tcpServers`, `tcpClients`) and return fake ports and connectors, and time is
 * a `Clock` that moves only with `advance`. Nothing touches the network: a test builds the
 * protocol with the recorded factory and gives it a `StringTransport`.
 * Implements IReactorTCP, IReactorTime and IReactorCore.
 *
 * Differences from Twisted's: `listenTCP` calls the factory's `doStart` (and the port's
 * `stopListening` its `doStop`), as a real port does; `hasRun`/`hasStopped` start false;
 * `stop` on a stopped reactor throws `ReactorNotRunning`, as the real one does.
 */
export class MemoryReactor implements IReactorTCP, IReactorTime, IReactorCore {
  /** The reactor's time: `advance` it to run the calls that `callLater` scheduled. */
  readonly clock = new Clock();
  /** Every `listenTCP` call, in order. */
  readonly tcpServers: RecordedTCPServer[] = [];
  /** Every `connectTCP` call, in order. */
  readonly tcpClients: RecordedTCPClient[] = [];
  /** The ports returned by `listenTCP`, in order. */
  readonly ports: FakeListeningPort[] = [];
  /** The connectors returned by `connectTCP`, in order. */
  readonly connectors: FakeConnector[] = [];
  /** Every `callWhenRunning` call, in order, run or not. */
  readonly whenRunningHooks: [fn: (...args: never[]) => unknown, args: unknown[]][] = [];
  /** True between `run()` and `stop()`. */
  running = false;
  /** True once `run()` was called. */
  hasRun = false;
  /** True once `stop()` was called. */
  hasStopped = false;

  #hooksRun = 0; // how many of whenRunningHooks have run

  /** See IReactorTime.seconds. @returns the clock's time. */
  seconds(): number {
    return this.clock.seconds();
  }

  /**
   * See IReactorTime.callLater: schedules on the clock.
   * @throws TypeError when `seconds` is negative or not a number.
   */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, ...args: A): DelayedCall {
    return this.clock.callLater(seconds, fn, ...args);
  }

  /** See IReactorTime.getDelayedCalls. */
  getDelayedCalls(): DelayedCall[] {
    return this.clock.getDelayedCalls();
  }

  /**
   * Move the clock forward, running the calls that are due (see `Clock.advance`).
   * @throws TypeError when `seconds` is negative; whatever a call throws.
   */
  advance(seconds: number): void {
    this.clock.advance(seconds);
  }

  /**
   * See IReactorCore.run, as Twisted's fake: sets `running` and `hasRun`, runs the
   * `callWhenRunning` hooks not run yet, then stops (if no hook did).
   * @returns a promise resolved once stopped.
   * @throws ReactorAlreadyRunning (as a rejection) when running already.
   */
  run(): Promise<void> {
    if (this.running) return Promise.reject(new ReactorAlreadyRunning('The reactor is already running'));
    this.running = true;
    this.hasRun = true;
    try {
      while (this.#hooksRun < this.whenRunningHooks.length) {
        const [fn, args] = this.whenRunningHooks[this.#hooksRun++];
        (fn as (...args: unknown[]) => unknown)(...args);
      }
    } catch (error) {
      this.running = false;
      return Promise.reject(error);
    }
    if (this.running) this.stop();
    return Promise.resolve();
  }

  /**
   * See IReactorCore.stop: sets `running` to false and `hasStopped`.
   * @throws ReactorNotRunning when not running.
   */
  stop(): void {
    if (!this.running) throw new ReactorNotRunning("Can't stop reactor that isn't running.");
    this.running = false;
    this.hasStopped = true;
  }

  /**
   * See IReactorCore.callWhenRunning: records the call in `whenRunningHooks`; `run()` calls it,
   * or it is called at once when running already.
   */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    this.whenRunningHooks.push([fn as (...args: never[]) => unknown, args]);
    if (this.running) {
      this.#hooksRun += 1;
      fn(...args);
    }
  }

  /**
   * See IReactorTCP.listenTCP: records `[port, factory, backlog, interface]` in `tcpServers` and
   * calls `factory.doStart()`.
   * @returns a FakeListeningPort on `interface` (127.0.0.1 by default) and `port`, or a port
   *   from 49152 up when `port` is 0.
   */
  listenTCP(port: number, factory: IProtocolFactory, options: { backlog?: number; interface?: string } = {}): FakeListeningPort {
    const backlog = options.backlog ?? DEFAULT_BACKLOG;
    const iface = options.interface ?? DEFAULT_INTERFACE;
    this.tcpServers.push([port, factory, backlog, iface]);
    const actualPort = port === 0 ? FIRST_EPHEMERAL_PORT + this.ports.length : port;
    const listening = new FakeListeningPort({ type: 'TCP', host: iface, port: actualPort }, factory);
    this.ports.push(listening);
    factory.doStart();
    return listening;
  }

  /**
   * See IReactorTCP.connectTCP: records `[host, port, factory, timeout]` in `tcpClients` and
   * calls `factory.startedConnecting(connector)`; the connection never happens.
   * @returns the FakeConnector, also kept in `connectors`.
   */
  connectTCP(host: string, port: number, factory: IClientFactory, timeoutSeconds = DEFAULT_CONNECT_TIMEOUT): FakeConnector {
    this.tcpClients.push([host, port, factory, timeoutSeconds]);
    const connector = new FakeConnector({ type: 'TCP', host, port });
    this.connectors.push(connector);
    factory.startedConnecting(connector);
    return connector;
  }
}
