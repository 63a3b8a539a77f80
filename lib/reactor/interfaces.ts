// Chapters 03 (the reactor: callLater), 04-05 (descriptors, transports, protocols) and 15 (testing
// with a deterministic clock): the contracts of the reactor layer. The protocol and factory
// contracts live here too, as in twisted.internet.interfaces, since the reactor's TCP code
// drives them; lib/protocol implements them. IReactorTime and IDelayedCall are defined in
// lib/time/interfaces.ts, below the Deferred (whose addTimeout takes one), and re-exported here.
// Tests: test/reactor/clock.test.ts, tcp.test.ts (the classes that implement them).

import type { Deferred } from '../defer/deferred';
import type { Failure } from '../defer/failure';
import type { Selectable } from '../sockets/selectable';

export type { IDelayedCall, IReactorTime } from '../time/interfaces';

/** A TCP endpoint address, as Twisted's `IPv4Address` (IPv6 hosts use the same shape). */
export interface IAddress {
  readonly type: 'TCP';
  readonly host: string;
  readonly port: number;
}

/**
 * Something the reactor can watch for readability, as Twisted's `IReadDescriptor`.
 *
 * Testing advice: a descriptor's `doRead` is plain code; call it directly with a socket whose
 * readiness you control.
 */
export interface IReadDescriptor {
  /** @returns the socket the reactor waits on (Twisted's `fileno()`). */
  fileno(): Selectable;
  /**
   * Called when `fileno()` is readable. Read what is there without blocking.
   * @returns nothing to go on, or the reason to disconnect (`ConnectionDone`, `ConnectionLost`):
   *   the reactor then removes the descriptor and calls `connectionLost` with it.
   */
  doRead(): Error | undefined | void;
  /** Called once when the descriptor is disconnected, with the reason. */
  connectionLost(reason: Failure): void;
  /** A name for log lines about this descriptor. */
  logPrefix?(): string;
}

/** Something the reactor can watch for writability, as Twisted's `IWriteDescriptor`. */
export interface IWriteDescriptor {
  /** @returns the socket the reactor waits on. */
  fileno(): Selectable;
  /** Called when `fileno()` is writable; returns a reason to disconnect, as `doRead`. */
  doWrite(): Error | undefined | void;
  connectionLost(reason: Failure): void;
  logPrefix?(): string;
}

/**
 * Watching descriptors, as Twisted's `IReactorFDSet`: the reactor calls a reader's `doRead`
 * when its socket is readable, a writer's `doWrite` when it is writable. Adding twice, or
 * removing what is not there, does nothing.
 */
export interface IReactorFDSet {
  addReader(reader: IReadDescriptor): void;
  addWriter(writer: IWriteDescriptor): void;
  removeReader(reader: IReadDescriptor): void;
  removeWriter(writer: IWriteDescriptor): void;
  /** @returns the readers being watched. */
  getReaders(): IReadDescriptor[];
  /** @returns the writers being watched. */
  getWriters(): IWriteDescriptor[];
  /** Stops watching everything. @returns what was watched. */
  removeAll(): (IReadDescriptor | IWriteDescriptor)[];
}

/** The loop itself, as Twisted's `IReactorCore`. */
export interface IReactorCore {
  /** True between `run()` and `stop()` taking effect. */
  readonly running: boolean;
  /**
   * Runs the loop until `stop()`.
   * @returns a promise resolved once the loop has stopped (and the shutdown calls have run).
   * @throws ReactorAlreadyRunning (as a rejection) when it is running already.
   */
  run(): Promise<void>;
  /**
   * Stops the loop after the current iteration.
   * @throws ReactorNotRunning when it is not running.
   */
  stop(): void;
  /** Calls `fn(...args)` once the loop runs (at once, on the next iteration, if it runs already). */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void;
}

/** A listening TCP port, as Twisted's `IListeningPort`. */
export interface IListeningPort {
  /** @returns the address listened on (with the real port when 0 was asked for). */
  getHost(): IAddress;
  /** Stops listening; the returned Deferred fires once the port is closed. */
  stopListening(): Deferred<void>;
}

/** A client connection attempt and its reconnection handle, as Twisted's `IConnector`. */
export interface IConnector {
  /** @returns the address connected to. */
  getDestination(): IAddress;
  /** Connects again (after a failure or a lost connection). */
  connect(): void;
  /** Drops the connection, or stops the attempt in progress. */
  disconnect(): void;
  /** Stops the attempt in progress. @throws Error when not connecting. */
  stopConnecting(): void;
}

/**
 * A connection's write side and controls, as Twisted's `ITransport`/`ITCPTransport`. Protocols
 * talk to the network only through their transport.
 *
 * Testing advice: give a protocol a `StringTransport` (lib/protocol/testing.ts) and read what it
 * wrote with `value()`.
 */
export interface ITransport {
  /** Queues bytes for sending; never blocks. Strings are sent as UTF-8. */
  write(data: Uint8Array | string): void;
  /** Queues several buffers, as one `write` of their concatenation. */
  writeSequence(data: Iterable<Uint8Array | string>): void;
  /** Closes the connection once everything written has been sent. */
  loseConnection(): void;
  /** Closes the connection at once, dropping what is still queued. */
  abortConnection(): void;
  /** @returns the address of the other end. */
  getPeer(): IAddress;
  /** @returns the address of this end. */
  getHost(): IAddress;
  /** Stops reading from the connection until `resumeProducing`. */
  pauseProducing(): void;
  /** Reads from the connection again. */
  resumeProducing(): void;
  /** Stops reading for good and closes the connection. */
  stopProducing(): void;
  /** True once `loseConnection` has been called. */
  readonly disconnecting: boolean;
}

/** A TCP connection's transport, as Twisted's `ITCPTransport`: a transport that can half-close. */
export interface ITCPTransport extends ITransport {
  /**
   * Ends our side of the stream once everything queued is sent, and keeps reading: the peer
   * sees end of stream and may still answer. A protocol hears of it through
   * `IHalfCloseableProtocol.writeConnectionLost`.
   */
  loseWriteConnection(): void;
}

/**
 * A protocol: what to do with one connection's events, as Twisted's `IProtocol`.
 *
 * Testing advice: feed `dataReceived` the bytes all at once, and again one byte at a time; a
 * protocol must not care how the stream was cut.
 */
export interface IProtocol {
  /** Called by the transport once connected: sets `transport`, then calls `connectionMade`. */
  makeConnection(transport: ITransport): void;
  /** The connection is made; `transport` is set. */
  connectionMade(): void;
  /** Some bytes arrived: any number, cut anywhere in the stream. */
  dataReceived(data: Buffer): void;
  /** The connection is gone: `ConnectionDone` when closed cleanly, `ConnectionLost` otherwise. */
  connectionLost(reason: Failure): void;
}

/**
 * A protocol that can live with half a connection, as Twisted's `IHalfCloseableProtocol`. When
 * the peer ends its stream, such a protocol hears `readConnectionLost` and may go on writing;
 * any other protocol's connection is closed. Twisted requires both methods; here
 * `writeConnectionLost` may be left out.
 */
export interface IHalfCloseableProtocol {
  /** The peer ended its stream: no more `dataReceived`, but writing still works. */
  readConnectionLost(): void;
  /** Our side of the stream has ended (after `loseWriteConnection` and the queue drained). */
  writeConnectionLost?(): void;
}

/** @returns whether `protocol` provides IHalfCloseableProtocol (has a `readConnectionLost`). */
export function isHalfCloseable(protocol: unknown): protocol is IHalfCloseableProtocol {
  return typeof (protocol as Partial<IHalfCloseableProtocol> | undefined)?.readConnectionLost === 'function';
}

/** Makes the protocol for each connection, as Twisted's `IProtocolFactory`. */
export interface IProtocolFactory {
  /** @returns the protocol for a connection with `addr`, or null to refuse it (it is closed). */
  buildProtocol(addr: IAddress): IProtocol | null;
  /** Called when the factory starts being used by a port or connector (counted: see Factory). */
  doStart(): void;
  /** Called when the last port or connector using the factory stops. */
  doStop(): void;
}

/** A factory for client connections, as Twisted's `ClientFactory`. */
export interface IClientFactory extends IProtocolFactory {
  /** The connector has started connecting. */
  startedConnecting(connector: IConnector): void;
  /** The connection could not be made (`ConnectionRefusedError`, `ConnectTimeoutError`, ...). */
  clientConnectionFailed(connector: IConnector, reason: Failure): void;
  /** The connection was made, then lost. */
  clientConnectionLost(connector: IConnector, reason: Failure): void;
}

/** TCP, as Twisted's `IReactorTCP`. */
export interface IReactorTCP {
  /**
   * Listens on `port` (0: a free one) and builds a protocol with `factory` for each client.
   * @param options.backlog - the listen queue length; options.interface - the address to bind
   *   (default 127.0.0.1, never all interfaces unless asked).
   * @throws CannotListenError when the port is taken or the interface cannot be bound.
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: { backlog?: number; interface?: string }): IListeningPort;
  /**
   * Connects to `host:port` and, once connected, builds a protocol with `factory`.
   * @param timeoutSeconds - give up after this long (default 30), with `ConnectTimeoutError`.
   */
  connectTCP(host: string, port: number, factory: IClientFactory, timeoutSeconds?: number): IConnector;
}
