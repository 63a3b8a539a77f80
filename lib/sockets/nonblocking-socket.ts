// Chapter 02: BSD-style non-blocking sockets over Node's net module
// (tested in test/sockets/nonblocking-socket.test.ts).
import * as net from 'node:net';
import type { Address } from './address';
import { SocketError, WouldBlockError } from './errors';
import { ioChannel } from './io-channel';
import { Selectable } from './selectable';

/** Bytes read ahead per socket before reading pauses and TCP flow control takes over. */
export const READ_AHEAD = 64 * 1024;

/** Bytes `send` queues per socket before it throws `WouldBlockError` (a kernel send buffer's role). */
export const SEND_BUFFER = 64 * 1024;

function closedError(syscall: string): SocketError {
  return new SocketError('EBADF', `${syscall} EBADF: the socket is closed`, syscall);
}

/**
 * A TCP socket whose calls never wait: `recv` returns what has arrived, an empty buffer at end
 * of stream, or throws `WouldBlockError`; `send` queues what fits and says how much. Wait for
 * readiness with `select()` or a `Poller`.
 */
export class NonBlockingSocket extends Selectable {
  readonly #socket: net.Socket;
  #connected: boolean;
  #closed = false;
  // Arrived, not yet received; never more than READ_AHEAD plus one chunk.
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #error: SocketError | undefined;
  // Both ends' addresses, kept once known: a reset socket can no longer tell them.
  #peer: Address | undefined;
  #local: Address | undefined;

  private constructor(socket: net.Socket, connected: boolean) {
    super();
    this.#socket = socket;
    this.#connected = connected;
    if (!connected) {
      socket.once('connect', () => {
        this.#connected = true;
        // A reset may already have come: the address connected to (set by `connect`) stays.
        this.#peer = addressOf(socket.remoteAddress, socket.remotePort) ?? this.#peer;
        this.#local = addressOf(socket.localAddress, socket.localPort);
        this.notify();
      });
    }
    socket.on('data', (chunk: Buffer) => {
      // Closed: what still comes is dropped (cheaper than removing the listener at each close).
      if (this.#closed) return;
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#buffered >= READ_AHEAD) socket.pause();
      this.notify();
    });
    socket.on('end', () => this.#finish());
    socket.on('close', () => this.#finish());
    socket.on('drain', () => this.notify());
    socket.on('error', (error) => {
      this.#error ??= SocketError.from(error);
      this.notify();
    });
  }

  /**
   * Starts connecting to `host:port` and returns at once, as a non-blocking `connect` does
   * (`EINPROGRESS`). The socket turns writable when connected; if the connection fails, it turns
   * readable and writable and `recv`/`send` throw the error (`ECONNREFUSED`, ...).
   */
  static connect(host: string, port: number): NonBlockingSocket {
    const socket = net.connect({ host, port, allowHalfOpen: true });
    const wrapped = new NonBlockingSocket(socket, false);
    // The peer is the address connected to (Twisted's realAddress): known before any reset can
    // make the kernel forget it, from the host itself or from the name's lookup.
    if (net.isIP(host) !== 0) wrapped.#peer = [host, port];
    socket.once('lookup', (error, address) => {
      if (!error) wrapped.#peer = [address, port];
    });
    return wrapped;
  }

  /**
   * @internal Wraps a socket accepted by a `NonBlockingServerSocket`, whose addresses were read
   * when it arrived: one reset while it waited still has them, as accept(2) returns them.
   */
  static accepted(socket: net.Socket, peer: Address, local: Address): NonBlockingSocket {
    const wrapped = new NonBlockingSocket(socket, true);
    wrapped.#peer = peer;
    wrapped.#local = local;
    socket.resume();
    return wrapped;
  }

  /** True once the connection is made (and until it is closed). */
  get connected(): boolean {
    return this.#connected && !this.#closed;
  }

  /** The connection's error, if it failed (what `SO_ERROR` reports). */
  get error(): SocketError | undefined {
    return this.#error;
  }

  readable(): boolean {
    return this.#buffered > 0 || this.#ended || this.#error !== undefined;
  }

  writable(): boolean {
    if (this.#error !== undefined) return true;
    if (!this.#connected) return false;
    // After shutdownWrite a send fails at once, and poll(2) reports such a socket writable: a
    // half-closed connection's loseConnection is finished by doWrite.
    return this.#socket.writableEnded || this.#socket.writableLength < SEND_BUFFER;
  }

  /**
   * Returns up to `n` bytes that have arrived, or an empty buffer at end of stream.
   * @throws WouldBlockError when nothing has arrived yet.
   * @throws SocketError when the connection failed or the socket is closed.
   */
  recv(n: number): Buffer {
    if (!(Number.isInteger(n) && n > 0)) {
      throw new TypeError(`Expected \`n\` to be an integer > 0, got \`${n}\` (${typeof n})`);
    }
    if (this.#closed) throw closedError('recv');
    if (this.#buffered === 0) {
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return Buffer.alloc(0);
      throw new WouldBlockError('recv');
    }
    const all = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
    const data = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    if (this.#buffered < READ_AHEAD && !this.#ended) this.#socket.resume();
    return data;
  }

  /**
   * Queues as much of `data` as the send buffer has room for and returns how many bytes that was.
   * @throws WouldBlockError when the buffer is full or the connection is not made yet.
   * @throws SocketError when the connection failed, the write side is shut or the socket is closed.
   */
  send(data: Uint8Array | string): number {
    if (this.#closed) throw closedError('send');
    if (this.#error !== undefined) throw this.#error;
    if (this.#socket.writableEnded) throw new SocketError('EPIPE', 'send EPIPE: the write side is shut', 'send');
    const room = SEND_BUFFER - this.#socket.writableLength;
    if (!this.#connected || room <= 0) throw new WouldBlockError('send');
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    // Most sends fit: write the caller's buffer itself rather than a view of it.
    const part = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.#socket.write(part);
    return part.length;
  }

  /** Sends end of stream once the queued bytes are out; reading goes on (a half-close). */
  shutdownWrite(): void {
    if (!this.#closed) this.#socket.end();
  }

  /** Bytes queued by `send` that the kernel has not taken yet. */
  get sendQueued(): number {
    return this.#socket.writableLength;
  }

  /** The address of the other end. @throws SocketError when not connected. */
  getpeername(): Address {
    if (this.#connected) this.#peer ??= addressOf(this.#socket.remoteAddress, this.#socket.remotePort);
    if (!this.#connected || this.#peer === undefined) {
      throw new SocketError('ENOTCONN', 'getpeername ENOTCONN: the socket is not connected', 'getpeername');
    }
    return this.#peer;
  }

  /** The address of this end. @throws SocketError when not connected. */
  getsockname(): Address {
    this.#local ??= addressOf(this.#socket.localAddress, this.#socket.localPort);
    if (this.#local === undefined) {
      throw new SocketError('ENOTCONN', 'getsockname ENOTCONN: the socket is not bound', 'getsockname');
    }
    return this.#local;
  }

  /**
   * Closes the socket like close(2): queued bytes still go out, then end of stream; nothing more
   * is read. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const socket = this.#socket;
    // Read on to the end, dropping it, so that the connection can finish closing; errors from
    // here on go to the 'error' listener the socket has had from the start.
    socket.resume();
    if (this.#connected && !this.#error) socket.end(() => socket.destroy());
    else socket.destroy();
  }

  /** Closes at once, dropping queued bytes (the peer sees a reset). Idempotent. */
  abort(): void {
    this.#closed = true;
    // Node resets a socket still connecting only once it connects, which may be never.
    if (this.#socket.connecting) this.#socket.destroy();
    else this.#socket.resetAndDestroy();
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.notify();
  }
}

/**
 * A listening TCP socket whose `accept` never waits. Connections are taken off the kernel's
 * queue by Node as they arrive and wait here, paused, until accepted.
 */
export class NonBlockingServerSocket extends Selectable {
  readonly #server: net.Server;
  readonly #local: Address;
  // Connections Node has taken off the kernel's queue, with their addresses, read on arrival.
  #pending: Array<{ socket: net.Socket; peer: Address; local: Address }> = [];
  #closed = false;
  #error: SocketError | undefined;
  #listening: Promise<void> = Promise.resolve();

  private constructor(server: net.Server, local: Address) {
    super();
    this.#server = server;
    this.#local = local;
    // Bound to one address, a connection's own end is that address: no getsockname(2) for it.
    const wildcard = local[0] === '0.0.0.0' || local[0] === '::';
    server.on('connection', (socket) => {
      // A client may give up while it waits; its error is its own.
      socket.on('error', ignore);
      const peer = addressOf(socket.remoteAddress, socket.remotePort);
      const local = wildcard ? addressOf(socket.localAddress, socket.localPort) : this.#local;
      if (peer === undefined || local === undefined) {
        // Reset before Node could ask who it was (SO_LINGER 0 at once): gone, as a connection
        // that accept(2) would report ECONNABORTED for. Nothing to serve; listening goes on.
        socket.destroy();
        return;
      }
      this.#pending.push({ socket, peer, local });
      this.notify();
    });
  }

  /**
   * Binds `host:port` (port 0: a free one) and listens.
   * @throws SocketError (`EADDRINUSE`, `EADDRNOTAVAIL`, `ENOTFOUND`), as a rejection.
   */
  static listen(host: string, port: number, backlog = 511): Promise<NonBlockingServerSocket> {
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    return new Promise((resolve, reject) => {
      server.once('error', (error) => reject(SocketError.from(error)));
      server.listen({ host, port, backlog, exclusive: true }, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        const { address, port: bound } = server.address() as net.AddressInfo;
        resolve(new NonBlockingServerSocket(server, [address, bound]));
      });
    });
  }

  /**
   * Binds and listens, reporting a bad address synchronously, as bind(2) does (what Twisted's
   * `listenTCP` needs). Node only listens asynchronously, so the address is first tried on the
   * I/O worker's thread (bound, then released at once), which also tells which port 0 stands
   * for; this thread then listens on that port. Should another program take the port in that
   * instant, the socket turns readable and `accept` throws the error.
   * @throws SocketError (`EADDRINUSE`, `EADDRNOTAVAIL`, `ENOTFOUND`).
   */
  static bind(host: string, port: number, backlog = 511): NonBlockingServerSocket {
    const probed = ioChannel().call('probe', { host, port }).local;
    if (probed === undefined) throw new SocketError('EIO', 'the I/O worker sent no address');
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const socket = new NonBlockingServerSocket(server, [probed[0], probed[1]]);
    socket.#listening = new Promise((resolve) => {
      server.once('error', (error) => {
        socket.#fail(SocketError.from(error));
        resolve();
      });
      server.listen({ host, port: probed[1], backlog, exclusive: true }, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        resolve();
      });
    });
    return socket;
  }

  /**
   * Resolves once the socket really listens (at once for `listen`; a turn of the event loop
   * after `bind`). A program that prints its port for others to connect to waits for it.
   */
  whenListening(): Promise<void> {
    return this.#listening;
  }

  #fail(error: SocketError): void {
    this.#error = error;
    this.notify();
  }

  readable(): boolean {
    return this.#pending.length > 0 || this.#error !== undefined;
  }

  writable(): boolean {
    return false;
  }

  /** Connections waiting to be accepted. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Takes the next waiting connection.
   * @throws WouldBlockError when none is waiting.
   * @throws SocketError when the socket is closed, or could not listen after all (see `bind`).
   */
  accept(): [NonBlockingSocket, Address] {
    if (this.#closed) throw closedError('accept');
    if (this.#error !== undefined) throw this.#error;
    const waiting = this.#pending.shift();
    if (waiting === undefined) throw new WouldBlockError('accept');
    return [NonBlockingSocket.accepted(waiting.socket, waiting.peer, waiting.local), waiting.peer];
  }

  /** The address listened on. */
  getsockname(): Address {
    return this.#local;
  }

  /**
   * Stops listening (the port is free when this returns) and disconnects the connections not yet
   * accepted; accepted ones are not affected. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { socket } of this.#pending) socket.destroy();
    this.#pending = [];
    this.#server.close();
  }
}

/** An 'error' listener that keeps an error from being thrown; one function for every socket. */
function ignore(): void {}

function addressOf(host: string | undefined, port: number | undefined): Address | undefined {
  return host === undefined || port === undefined ? undefined : [host, port];
}
