// Chapters 04-05: a TCP connection's transport, the part every connection shares (Twisted's
// abstract.FileDescriptor and tcp.Connection): the write queue, doRead/doWrite, loseConnection
// and the half-close. The listening side is port.ts, the client side client.ts.
// Tests: test/reactor/tcp.test.ts.
import { Failure } from '../defer/failure';
import { describeError, logError, stackOf } from '../log/index';
import { NonBlockingSocket } from '../sockets/nonblocking-socket';
import { WouldBlockError } from '../sockets/errors';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from './errors';
import type {
  IAddress,
  IProtocol,
  IProtocolFactory,
  IReactorFDSet,
  IReactorTime,
  IReadDescriptor,
  ITCPTransport,
  IWriteDescriptor,
} from './interfaces';
import { isHalfCloseable } from './interfaces';

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
export class Connection implements ITCPTransport, IReadDescriptor, IWriteDescriptor {
  protected readonly reactor: IReactorFDSet & IReactorTime;
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

  constructor(reactor: IReactorFDSet & IReactorTime, socket: NonBlockingSocket) {
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
      const protocol = this.protocol;
      if (!isHalfCloseable(protocol)) return CONNECTION_DONE;
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
    if (this.#writeShut) {
      this.socket.shutdownWrite();
      if (isHalfCloseable(this.protocol)) this.protocol.writeConnectionLost?.();
    }
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
        const sent = this.socket.send(bytes);
        if (sent === bytes.length) return; // the common case: no view of the rest to make
        bytes = bytes.subarray(sent);
      } catch {
        // Would block, or failed: all of it is queued. A failure comes back in doWrite and is
        // reported from there, on the loop, where Twisted reports it.
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
    // doWrite finds the queue empty (now or once drained) and reports ConnectionDone. Writer
    // first: the socket stays registered with the poller, its events changed, not dropped and
    // registered again.
    this.reactor.addWriter(this);
    this.stopReading();
  }

  /** See ITCPTransport.loseWriteConnection: a half-close, once everything queued is sent. */
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

/** The reason a connection ends when its socket fails. */
export function lostBecause(error: unknown): ConnectionLost {
  return new ConnectionLost(`Connection to the other side was lost: ${describeError(error)}.`);
}

/**
 * Asks `factory` for the protocol of a new connection with `addr`. A factory that throws is
 * logged, as Twisted logs it, and the connection refused, as if it had returned null.
 * @returns the protocol, or null to close the connection.
 */
export function buildProtocolOrLog(factory: IProtocolFactory, addr: IAddress): IProtocol | null {
  try {
    return factory.buildProtocol(addr);
  } catch (error) {
    logError(`Unhandled Error in buildProtocol:\n${stackOf(error)}`);
    return null;
  }
}
