// Chapter 02: socket errors (tested in test/sockets/nonblocking-socket.test.ts).

/** A socket call failed; `code` is the errno name (`ECONNREFUSED`, `EADDRINUSE`, ...). */
export class SocketError extends Error {
  override name = 'SocketError';
  readonly code: string;
  readonly syscall: string | undefined;

  constructor(code: string, message: string, syscall?: string) {
    super(message);
    this.code = code;
    this.syscall = syscall;
  }

  /**
   * Wraps an error from Node's net module or the I/O worker, keeping its errno name; `ETIMEDOUT`
   * becomes a SocketTimeoutError, as Python raises `TimeoutError` for it.
   */
  static from(error: unknown): SocketError {
    if (error instanceof SocketError) return error;
    const { code, message, syscall } = error as NodeJS.ErrnoException;
    if (code === 'ETIMEDOUT') return new SocketTimeoutError(message ?? String(error), syscall);
    return new SocketError(code ?? 'EIO', message ?? String(error), syscall);
  }
}

/**
 * A call waited longer than the socket's timeout (Python's `socket.timeout`, `TimeoutError`),
 * code `ETIMEDOUT`. After `recv`, `accept` or `sendall` times out the socket is still usable.
 */
export class SocketTimeoutError extends SocketError {
  constructor(message: string, syscall?: string) {
    super('ETIMEDOUT', message, syscall);
    this.name = 'SocketTimeoutError';
  }
}

/** A non-blocking call found nothing to do now (Python's `socket.error` with `EWOULDBLOCK`). */
export class WouldBlockError extends SocketError {
  constructor(syscall = 'recv') {
    // Flow control, thrown on every empty read: capturing a stack would cost more than the read.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super('EWOULDBLOCK', `${syscall} EWOULDBLOCK: the operation would block`, syscall);
    Error.stackTraceLimit = limit;
    this.name = 'WouldBlockError';
  }
}
