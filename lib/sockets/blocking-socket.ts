// Chapter 02: BSD-style blocking sockets (tested in test/sockets/blocking-socket.test.ts).
import type { Address } from './address';
import { MAX_TIMER_SECONDS } from '../time/index';
import { SocketError, SocketTimeoutError } from './errors';
import { IO_CHUNK, ioChannel, type IoReply } from './io-channel';

function closedError(syscall: string): SocketError {
  return new SocketError('EBADF', `${syscall} EBADF: the socket is closed`, syscall);
}


/**
 * Checks a timeout for `settimeout`: seconds > 0 and within what a timer holds, or null for none.
 * @throws TypeError otherwise (Python's 0, non-blocking mode, is NonBlockingSocket's job here).
 */
export function checkTimeout(seconds: unknown, name = 'seconds'): number | null {
  if (seconds === null) return null;
  if (typeof seconds === 'number' && seconds > 0 && seconds <= MAX_TIMER_SECONDS) return seconds;
  throw new TypeError(`Expected \`${name}\` to be a number > 0 and <= ${MAX_TIMER_SECONDS}, or null, got \`${String(seconds)}\` (${typeof seconds})`);
}

function address(reply: IoReply, key: 'peer' | 'local'): Address {
  const value = reply[key];
  if (value === undefined) throw new SocketError('EIO', `the I/O worker sent no ${key} address`);
  return [value[0], value[1]];
}

/**
 * A TCP socket whose calls block the calling thread until they are done, like a Python socket
 * in blocking mode. While a call blocks, nothing else runs on this thread. Made unconnected
 * (`new BlockingSocket()`, then `connect`), by `BlockingSocket.connect`, or by `accept`.
 */
export class BlockingSocket {
  #id: number | undefined;
  #peer: Address | undefined;
  #local: Address | undefined;
  // Seconds a call may block before it throws SocketTimeoutError; null: forever (Python's default).
  #timeout: number | null = null;

  /** An unconnected socket; `connect` it. */
  constructor() {}

  /**
   * A socket connected to `host:port`, blocking until the connection is made. With `timeout`
   * (Python's `socket.create_connection(address, timeout)`), the connection and every later call
   * wait at most that many seconds.
   * @throws SocketError (`ECONNREFUSED`, `ENOTFOUND`, ...) when it cannot be made,
   *   SocketTimeoutError when it takes longer than `timeout`.
   */
  static connect(host: string, port: number, timeout: number | null = null): BlockingSocket {
    const sock = new BlockingSocket();
    sock.settimeout(timeout);
    sock.connect(host, port);
    return sock;
  }

  /** @internal Wraps a socket the worker has accepted. */
  static fromReply(reply: IoReply): BlockingSocket {
    const sock = new BlockingSocket();
    sock.#adopt(reply);
    return sock;
  }

  /**
   * Connects to `host:port`, blocking until the connection is made (Python's `sock.connect`).
   * @throws SocketError (`ECONNREFUSED`, `ENOTFOUND`, ...) when it cannot be made, `EISCONN`
   *   when the socket is connected already; SocketTimeoutError after the socket's timeout (the
   *   attempt is dropped and the socket stays unconnected).
   */
  connect(host: string, port: number): void {
    if (this.#id !== undefined) throw new SocketError('EISCONN', 'connect EISCONN: the socket is already connected', 'connect');
    this.#adopt(ioChannel().call('connect', { host, port, timeout: this.#timeout }));
  }

  /**
   * Sets how long `connect`, `recv` and `sendall` may block (Python's `settimeout`): after
   * `seconds` they throw SocketTimeoutError and the socket stays usable; null waits forever.
   * @throws TypeError unless a number > 0 (up to about 24.8 days) or null.
   */
  settimeout(seconds: number | null): void {
    this.#timeout = checkTimeout(seconds);
  }

  /** The timeout `settimeout` set: seconds, or null for none. */
  gettimeout(): number | null {
    return this.#timeout;
  }

  #adopt(reply: IoReply): void {
    this.#id = reply.id;
    this.#peer = address(reply, 'peer');
    this.#local = address(reply, 'local');
  }

  /**
   * Receives up to `n` bytes, blocking until at least one has arrived. Returns an empty buffer
   * once the peer has closed its side and everything sent has been read.
   * @throws SocketError when the connection failed (`ECONNRESET`) or the socket is closed;
   *   SocketTimeoutError when nothing arrived within the socket's timeout.
   */
  recv(n: number): Buffer {
    if (!(Number.isInteger(n) && n > 0)) {
      throw new TypeError(`Expected \`n\` to be an integer > 0, got \`${n}\` (${typeof n})`);
    }
    const { data } = ioChannel().call('recv', { id: this.#open('recv'), n, timeout: this.#timeout });
    return data === undefined ? Buffer.alloc(0) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  /**
   * Sends all of `data`, blocking until the kernel has taken it.
   * @throws SocketError when the peer has gone (`EPIPE`, `ECONNRESET`) or the socket is closed;
   *   SocketTimeoutError when the kernel did not take it within the socket's timeout.
   */
  sendall(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const id = this.#open('send');
    // One call carries at most IO_CHUNK bytes: a longer send goes in parts, in order, all within
    // the one timeout (what is left of it for each part).
    const deadline = this.#timeout === null ? null : performance.now() + this.#timeout * 1000;
    let offset = 0;
    do {
      const timeout = deadline === null ? null : Math.max(0, deadline - performance.now()) / 1000;
      if (timeout === 0) throw new SocketTimeoutError(`sendall ETIMEDOUT: ${offset} of ${bytes.length} bytes sent in ${this.#timeout} s`, 'sendall');
      ioChannel().call('sendall', { id, data: bytes.subarray(offset, offset + IO_CHUNK), timeout });
      offset += IO_CHUNK;
    } while (offset < bytes.length);
  }

  /** The address of the other end. @throws SocketError when not connected. */
  getpeername(): Address {
    if (this.#peer === undefined) throw new SocketError('ENOTCONN', 'getpeername ENOTCONN: the socket is not connected', 'getpeername');
    return this.#peer;
  }

  /** The address of this end. @throws SocketError when not connected. */
  getsockname(): Address {
    if (this.#local === undefined) throw new SocketError('ENOTCONN', 'getsockname ENOTCONN: the socket is not connected', 'getsockname');
    return this.#local;
  }

  /** Closes the socket: what was sent still goes out, then the peer sees end of stream. Idempotent. */
  close(): void {
    if (this.#id === undefined) return;
    ioChannel().call('close', { id: this.#id });
    this.#id = undefined;
  }

  #open(syscall: string): number {
    if (this.#id === undefined) throw closedError(syscall);
    return this.#id;
  }
}

/** A listening TCP socket whose `accept` blocks, like a Python server socket in blocking mode. */
export class BlockingServerSocket {
  #id: number | undefined;
  // The address given to bind, and the one listened on once the port is known.
  #bound: Address | undefined;
  #local: Address | undefined;
  // Seconds `accept` may block; null: forever.
  #timeout: number | null = null;

  /**
   * Binds to `host:port` (port 0: a free one) and listens with room for `backlog` waiting clients.
   * @throws SocketError (`EADDRINUSE`, `EADDRNOTAVAIL`, `ENOTFOUND`) when it cannot.
   */
  static listen(host: string, port: number, backlog = 511): BlockingServerSocket {
    const server = new BlockingServerSocket();
    server.bind(host, port);
    server.listen(backlog);
    return server;
  }

  /** Remembers the address to listen on; like Python's, the socket listens from `listen` on. */
  bind(host: string, port: number): void {
    this.#bound = [host, port];
  }

  /**
   * Starts listening on the bound address.
   * @throws SocketError when the address cannot be used.
   */
  listen(backlog = 511): void {
    if (this.#bound === undefined) throw new SocketError('EINVAL', 'listen EINVAL: bind first', 'listen');
    const [host, port] = this.#bound;
    const reply = ioChannel().call('listen', { host, port, backlog });
    this.#id = reply.id;
    this.#local = address(reply, 'local');
  }

  /**
   * Sets how long `accept` may block (Python's `settimeout`); null waits forever. As in Python,
   * the sockets `accept` returns have no timeout.
   * @throws TypeError unless a number > 0 (up to about 24.8 days) or null.
   */
  settimeout(seconds: number | null): void {
    this.#timeout = checkTimeout(seconds);
  }

  /** The timeout `settimeout` set: seconds, or null for none. */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /**
   * Waits for the next client and returns its socket and address.
   * @throws SocketError when the socket is not listening; SocketTimeoutError when no client came
   *   within the timeout (the socket goes on listening).
   */
  accept(): [BlockingSocket, Address] {
    if (this.#id === undefined) throw closedError('accept');
    const socket = BlockingSocket.fromReply(ioChannel().call('accept', { id: this.#id, timeout: this.#timeout }));
    return [socket, socket.getpeername()];
  }

  /** The address this socket listens on (with the port chosen when it bound port 0). */
  getsockname(): Address {
    if (this.#local === undefined) throw closedError('getsockname');
    return this.#local;
  }

  /** Stops listening; clients still waiting to be accepted are disconnected. Idempotent. */
  close(): void {
    if (this.#id === undefined) return;
    ioChannel().call('close', { id: this.#id });
    this.#id = undefined;
  }
}
