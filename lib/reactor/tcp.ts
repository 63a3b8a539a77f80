// Chapters 04-05: TCP for the reactor, listening ports, connectors and the connection transport
// (tested in test/reactor/tcp.test.ts).
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { logError } from '../defer/log';
import { NonBlockingServerSocket, NonBlockingSocket } from '../sockets/nonblocking-socket';
import type { Address } from '../sockets/address';
import { SocketError, WouldBlockError } from '../sockets/errors';
import type { DelayedCall } from './delayed-call';
import {
  CannotListenError,
  ConnectError,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  DNSLookupError,
  TimeoutError,
  UserError,
} from './errors';
import type {
  IAddress,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReadDescriptor,
  ITransport,
  IWriteDescriptor,
} from './interfaces';

/** What the TCP classes need of a reactor (SelectReactor provides it). */
export interface TCPReactor {
  addReader(reader: IReadDescriptor): void;
  addWriter(writer: IWriteDescriptor): void;
  removeReader(reader: IReadDescriptor): void;
  removeWriter(writer: IWriteDescriptor): void;
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, ...args: A): DelayedCall;
}

/** An address as Twisted's `IPv4Address('TCP', host, port)`. */
export function tcpAddress(host: string, port: number): IAddress {
  return { type: 'TCP', host, port };
}

/** Bytes a connection reads per `doRead` (one read, as Twisted's; the loop comes back for more). */
const READ_SIZE = 64 * 1024;

// One reason for every clean close, as Twisted's `main.CONNECTION_DONE`: building an Error (and
// its stack) per connection costs more than the close.
const CONNECTION_DONE = new ConnectionDone('Connection was closed cleanly.');

/**
 * A TCP connection's transport: the reactor calls `doRead`/`doWrite`; the protocol calls
 * `write` and friends. Implements ITransport (see lib/reactor/interfaces.ts). A write goes to the
 * socket at once if nothing is queued; what the socket cannot take is queued here and sent when
 * it is writable: the connection registers as a writer only while it has something queued.
 */
export class Connection implements ITransport, IReadDescriptor, IWriteDescriptor {
  protected readonly reactor: TCPReactor;
  protected readonly socket: NonBlockingSocket;
  protected protocol: IProtocol | undefined;
  // Queued writes, sent in order; #offset bytes of the first one are already sent.
  #queue: Uint8Array[] = [];
  #offset = 0;
  #queued = 0;
  #disconnecting = false;
  #disconnected = false;
  #reading = false;
  // loseWriteConnection was called: end our stream once the queue is sent.
  #writeShut = false;

  constructor(reactor: TCPReactor, socket: NonBlockingSocket) {
    this.reactor = reactor;
    this.socket = socket;
  }

  /** See ITransport.disconnecting. */
  get disconnecting(): boolean {
    return this.#disconnecting;
  }

  /** True once the connection is closed. */
  get disconnected(): boolean {
    return this.#disconnected;
  }

  /** Bytes written by the protocol and not yet taken by the socket. */
  get bufferSize(): number {
    return this.#queued;
  }

  /** The socket the reactor waits on. */
  fileno(): NonBlockingSocket {
    return this.socket;
  }

  /** Starts the protocol on this connection and reads from it. */
  protected startProtocol(protocol: IProtocol): void {
    this.protocol = protocol;
    this.startReading();
    protocol.makeConnection(this);
  }

  protected startReading(): void {
    if (this.#disconnected || this.#reading) return;
    this.#reading = true;
    this.reactor.addReader(this);
  }

  protected stopReading(): void {
    this.#reading = false;
    this.reactor.removeReader(this);
  }

  /** Reads what has arrived and gives it to the protocol; end of stream is `ConnectionDone`. */
  doRead(): Error | undefined {
    let data: Buffer;
    try {
      data = this.socket.recv(READ_SIZE);
    } catch (error) {
      if (error instanceof WouldBlockError) return undefined;
      return lostBecause(error);
    }
    if (data.length === 0) {
      // A half-closeable protocol (Twisted's IHalfCloseableProtocol) hears of the end of the
      // peer's stream and may still write; any other protocol's connection closes.
      const protocol = this.protocol as (IProtocol & { readConnectionLost?: () => void }) | undefined;
      if (typeof protocol?.readConnectionLost !== 'function') return CONNECTION_DONE;
      this.stopReading();
      protocol.readConnectionLost();
      return undefined;
    }
    this.protocol?.dataReceived(data);
    return undefined;
  }

  /** Sends what is queued until the socket would block; closes once drained if asked to. */
  doWrite(): Error | undefined {
    try {
      while (this.#queue.length > 0) {
        const chunk = this.#queue[0];
        const sent = this.socket.send(this.#offset === 0 ? chunk : chunk.subarray(this.#offset));
        this.#queued -= sent;
        this.#offset += sent;
        if (this.#offset < chunk.length) return undefined; // the socket's buffer is full
        this.#queue.shift();
        this.#offset = 0;
      }
    } catch (error) {
      if (error instanceof WouldBlockError) return undefined;
      return lostBecause(error);
    }
    this.reactor.removeWriter(this);
    if (this.#disconnecting) return CONNECTION_DONE;
    if (this.#writeShut) this.socket.shutdownWrite();
    return undefined;
  }

  /** See ITransport.write. Ignored once the connection (or its write side) is closing. */
  write(data: Uint8Array | string): void {
    if (this.#disconnecting || this.#disconnected || this.#writeShut) return;
    let bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytes.length === 0) return;
    if (this.#queue.length === 0 && this.socket.connected) {
      // Nothing queued: try the socket now, as asyncio's transports do, and queue only the rest.
      // Saves a writer registration and a turn of the loop for most writes.
      try {
        bytes = bytes.subarray(this.socket.send(bytes));
      } catch (error) {
        if (!(error instanceof WouldBlockError)) {
          // Reported where Twisted reports it: from doWrite, on the loop.
          this.#queue.push(bytes);
          this.#queued += bytes.length;
          this.reactor.addWriter(this);
          return;
        }
      }
      if (bytes.length === 0) return;
    }
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    this.reactor.addWriter(this);
  }

  /** See ITransport.writeSequence. */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    for (const chunk of data) this.write(chunk);
  }

  /** See ITransport.loseConnection: closes once everything queued is sent. */
  loseConnection(): void {
    if (this.#disconnecting || this.#disconnected) return;
    this.#disconnecting = true;
    this.stopReading();
    // doWrite finds the queue empty (now or once drained) and reports ConnectionDone.
    this.reactor.addWriter(this);
  }

  /**
   * Ends our side of the stream once everything queued is sent, and keeps reading (a half-close,
   * Twisted's `loseWriteConnection`): the peer sees end of stream and may still answer.
   */
  loseWriteConnection(): void {
    if (this.#disconnecting || this.#disconnected || this.#writeShut) return;
    this.#writeShut = true;
    this.reactor.addWriter(this);
  }

  /** See ITransport.abortConnection: closes now, dropping what is queued (the peer sees a reset). */
  abortConnection(): void {
    if (this.#disconnected) return;
    this.#disconnecting = true;
    this.reactor.removeReader(this);
    this.reactor.removeWriter(this);
    this.#queue = [];
    this.#queued = 0;
    this.socket.abort();
    // As Twisted: connectionLost comes from the loop, not from inside this call.
    this.reactor.callLater(0, () => this.connectionLost(new Failure(new ConnectionAborted('Connection was aborted locally.'))));
  }

  /** See ITransport.pauseProducing: stops reading until `resumeProducing`. */
  pauseProducing(): void {
    this.stopReading();
  }

  /** See ITransport.resumeProducing. */
  resumeProducing(): void {
    if (!this.#disconnecting) this.startReading();
  }

  /** See ITransport.stopProducing: closes the connection. */
  stopProducing(): void {
    this.loseConnection();
  }

  /** See ITransport.getPeer. */
  getPeer(): IAddress {
    return tcpAddress(...this.socket.getpeername());
  }

  /** See ITransport.getHost. */
  getHost(): IAddress {
    return tcpAddress(...this.socket.getsockname());
  }

  /**
   * The reactor calls this once, when the connection is gone: the socket is closed and the
   * protocol told (with `ConnectionDone` after a clean close, `ConnectionLost` otherwise).
   */
  connectionLost(reason: Failure): void {
    if (this.#disconnected) return;
    this.#disconnected = true;
    this.#disconnecting = true;
    this.#reading = false;
    this.reactor.removeReader(this);
    this.reactor.removeWriter(this);
    this.socket.close();
    this.protocol?.connectionLost(reason);
  }

  logPrefix(): string {
    return this.protocol?.constructor.name ?? 'Connection';
  }
}

/** A connection accepted by a listening Port. */
export class ServerConnection extends Connection {
  /** @internal Port calls this with the protocol its factory built. */
  static accept(reactor: TCPReactor, socket: NonBlockingSocket, protocol: IProtocol): ServerConnection {
    const connection = new ServerConnection(reactor, socket);
    connection.startProtocol(protocol);
    return connection;
  }
}

/**
 * A listening TCP port: accepts every waiting connection each time it is readable, and gives
 * each one a protocol from its factory. Implements IListeningPort.
 */
export class Port implements IListeningPort, IReadDescriptor {
  readonly #reactor: TCPReactor;
  readonly #port: number;
  readonly #factory: IProtocolFactory;
  readonly #interface: string;
  readonly #backlog: number;
  #socket: NonBlockingServerSocket | undefined;
  #connected = false;
  #failed: (error: Error) => void = () => {};
  readonly #failure = new Promise<Error>((resolve) => {
    this.#failed = resolve;
  });

  constructor(reactor: TCPReactor, port: number, factory: IProtocolFactory, iface: string, backlog: number) {
    this.#reactor = reactor;
    this.#port = port;
    this.#factory = factory;
    this.#interface = iface;
    this.#backlog = backlog;
  }

  /**
   * Binds and listens, synchronously as in Twisted.
   * @throws CannotListenError when the port is taken or the interface cannot be bound.
   */
  startListening(): void {
    try {
      this.#socket = NonBlockingServerSocket.bind(this.#interface, this.#port, this.#backlog);
    } catch (error) {
      throw new CannotListenError(this.#interface, this.#port, error as Error);
    }
    this.#connected = true;
    this.#factory.doStart();
    this.#reactor.addReader(this);
  }

  fileno(): NonBlockingServerSocket {
    if (this.#socket === undefined) throw new Error('the port is not listening');
    return this.#socket;
  }

  /**
   * Accepts every connection waiting now (a burst of clients is taken in one turn). As Twisted's
   * Port.doRead: an error that concerns one connection or a passing shortage (ECONNABORTED,
   * EMFILE, ...) is logged and the port goes on listening; only a failure of the listening
   * socket itself closes the port, and `whenFailed()` reports it.
   */
  doRead(): Error | undefined {
    const socket = this.fileno();
    while (socket.readable()) {
      let accepted: NonBlockingSocket;
      let peer: Address;
      try {
        [accepted, peer] = socket.accept();
      } catch (error) {
        if (error instanceof WouldBlockError) return undefined;
        const code = error instanceof SocketError ? error.code : '';
        if (ACCEPT_AGAIN_LATER.has(code)) {
          logError(`Could not accept new connection (${code}) on ${this.logPrefix()}`);
          return undefined;
        }
        logError(`Could not accept on ${this.logPrefix()}, no longer listening: ${(error as Error).message}`);
        this.#failed(error as Error);
        return error as Error;
      }
      let protocol: IProtocol | null;
      try {
        protocol = this.#factory.buildProtocol(tcpAddress(...peer));
      } catch (error) {
        logError(`Unhandled Error in buildProtocol:\n${(error as Error).stack ?? String(error)}`);
        protocol = null;
      }
      if (protocol === null) accepted.close();
      else ServerConnection.accept(this.#reactor, accepted, protocol);
    }
    return undefined;
  }

  /** See IListeningPort.getHost. */
  getHost(): IAddress {
    return tcpAddress(...this.fileno().getsockname());
  }

  /**
   * Resolves once connections are accepted. Node listens asynchronously, a turn of the event
   * loop after `listenTCP` has checked the address; print a port for others after this.
   */
  whenListening(): Promise<void> {
    return this.fileno().whenListening();
  }

  /**
   * Resolves with the error if the port stops listening on its own (its socket failed), never
   * after `stopListening()` or the reactor's shutdown. Ours, not Twisted's: a server program
   * waits on it so that it never sits, or exits 0, with nothing left to serve.
   */
  whenFailed(): Promise<Error> {
    return this.#failure;
  }

  /** See IListeningPort.stopListening: the Deferred fires once the port is closed. */
  stopListening(): Deferred<void> {
    if (this.#connected) {
      this.#reactor.removeReader(this);
      this.connectionLost(new Failure(new ConnectionDone('Listening stopped')));
    }
    const done = new Deferred<void>();
    done.callback(undefined);
    return done;
  }

  /** Closes the listening socket and tells the factory (the reactor calls this at shutdown). */
  connectionLost(_reason: Failure): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#socket?.close();
    this.#factory.doStop();
  }

  logPrefix(): string {
    return `${this.#factory.constructor.name} (TCP ${this.#interface}:${this.#socket?.getsockname()[1] ?? this.#port})`;
  }
}

// accept(2) errors after which the listening socket is still good (Twisted's list): one
// connection died while it waited, or descriptors or memory ran short for a moment. The next
// readiness event tries again. (Node's libuv meets EMFILE first and sheds the connections it
// cannot take, so they rarely reach us.)
const ACCEPT_AGAIN_LATER = new Set(['ECONNABORTED', 'EPERM', 'EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);

/** Maps a socket error to Twisted's connection-failure errors. */
function connectFailure(error: unknown, host: string, port: number): Error {
  const code = error instanceof SocketError ? error.code : '';
  const where = `${host}:${port}`;
  if (code === 'ECONNREFUSED') return new ConnectionRefusedError(`Connection was refused by other side: ${where}.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DNSLookupError(`DNS lookup failed: ${host}.`);
  return new ConnectError(`An error occurred while connecting to ${where}: ${(error as Error).message}.`);
}

function lostBecause(error: unknown): ConnectionLost {
  return new ConnectionLost(`Connection to the other side was lost: ${(error as Error).message}.`);
}

/**
 * A client connection being made, then made: writable means connected (or failed, with the
 * error on the socket), as a non-blocking connect(2).
 */
class ClientConnection extends Connection {
  readonly #connector: Connector;
  #connecting = true;
  #timeout: DelayedCall | undefined;

  constructor(reactor: TCPReactor, connector: Connector, timeoutSeconds: number) {
    const [host, port] = connector.destination;
    super(reactor, NonBlockingSocket.connect(host, port));
    this.#connector = connector;
    this.#timeout = reactor.callLater(timeoutSeconds, () => this.failIfNotConnected(new TimeoutError(`User timeout caused connection failure.`)));
    reactor.addWriter(this);
  }

  override doWrite(): Error | undefined {
    if (!this.#connecting) return super.doWrite();
    const error = this.socket.error;
    if (error !== undefined) {
      this.failIfNotConnected(connectFailure(error, ...this.#connector.destination));
      return undefined;
    }
    if (!this.socket.connected) return undefined;
    this.#connecting = false;
    this.#cancelTimeout();
    this.reactor.removeWriter(this);
    this.#connector.connected();
    let protocol: IProtocol | null = null;
    try {
      protocol = this.#connector.factory.buildProtocol(this.getPeer());
    } catch (error) {
      logError(`Unhandled Error in buildProtocol:\n${(error as Error).stack ?? String(error)}`);
    }
    if (protocol === null) {
      this.loseConnection();
      return undefined;
    }
    this.startProtocol(protocol);
    return undefined;
  }

  /** Gives up the attempt (timeout, refusal, `stopConnecting`) and tells the factory. */
  failIfNotConnected(error: Error): void {
    if (!this.#connecting) return;
    this.#connecting = false;
    this.#cancelTimeout();
    this.reactor.removeWriter(this);
    this.reactor.removeReader(this);
    this.socket.abort();
    this.#connector.connectionFailed(new Failure(error));
  }

  get connecting(): boolean {
    return this.#connecting;
  }

  override connectionLost(reason: Failure): void {
    if (this.#connecting) {
      this.failIfNotConnected(reason.value as Error);
      return;
    }
    if (this.disconnected) return;
    super.connectionLost(reason);
    this.#connector.connectionLost(reason);
  }

  #cancelTimeout(): void {
    if (this.#timeout?.active()) this.#timeout.cancel();
    this.#timeout = undefined;
  }
}

/**
 * A client's connection attempt, as Twisted's `Connector`: tells the factory when it starts
 * connecting, when the connection fails or is lost, and can connect again. Implements IConnector.
 */
export class Connector implements IConnector {
  readonly #reactor: TCPReactor;
  readonly destination: [string, number];
  readonly factory: IClientFactory;
  readonly #timeoutSeconds: number;
  #connection: ClientConnection | undefined;
  #state: 'disconnected' | 'connecting' | 'connected' = 'disconnected';
  #factoryStarted = false;

  constructor(reactor: TCPReactor, host: string, port: number, factory: IClientFactory, timeoutSeconds: number) {
    if (!(typeof timeoutSeconds === 'number' && timeoutSeconds > 0)) {
      throw new TypeError(`Expected \`timeoutSeconds\` to be a number > 0, got \`${timeoutSeconds}\` (${typeof timeoutSeconds})`);
    }
    this.#reactor = reactor;
    this.destination = [host, port];
    this.factory = factory;
    this.#timeoutSeconds = timeoutSeconds;
  }

  /** See IConnector.getDestination. */
  getDestination(): IAddress {
    return tcpAddress(...this.destination);
  }

  /** See IConnector.connect. @throws Error when already connecting or connected. */
  connect(): void {
    if (this.#state !== 'disconnected') throw new Error(`Can't connect in this state: ${this.#state}`);
    this.#state = 'connecting';
    if (!this.#factoryStarted) {
      this.factory.doStart();
      this.#factoryStarted = true;
    }
    this.#connection = new ClientConnection(this.#reactor, this, this.#timeoutSeconds);
    this.factory.startedConnecting(this);
  }

  /** See IConnector.stopConnecting. @throws Error when not connecting. */
  stopConnecting(): void {
    if (this.#state !== 'connecting' || this.#connection === undefined) throw new Error("We're not trying to connect");
    this.#connection.failIfNotConnected(new UserError('User aborted connection.'));
  }

  /** See IConnector.disconnect: stops connecting, or drops the connection. */
  disconnect(): void {
    if (this.#state === 'connecting') this.stopConnecting();
    else if (this.#state === 'connected') this.#connection?.loseConnection();
  }

  /** @internal The connection failed to be made. */
  connectionFailed(reason: Failure): void {
    this.#connection = undefined;
    this.#state = 'disconnected';
    this.factory.clientConnectionFailed(this, reason);
    this.#stopFactoryIfIdle();
  }

  /** @internal The connection was made, then lost. */
  connectionLost(reason: Failure): void {
    this.#connection = undefined;
    this.#state = 'disconnected';
    this.factory.clientConnectionLost(this, reason);
    this.#stopFactoryIfIdle();
  }

  /** @internal The connection is made. */
  connected(): void {
    this.#state = 'connected';
  }

  // As Twisted: the factory stops unless clientConnectionFailed/Lost reconnected.
  #stopFactoryIfIdle(): void {
    if (this.#state === 'disconnected' && this.#factoryStarted) {
      this.#factoryStarted = false;
      this.factory.doStop();
    }
  }
}
