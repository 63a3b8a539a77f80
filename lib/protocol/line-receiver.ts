// Chapters 05 (protocols) and 12 (framing messages on a stream). Tests: test/protocol/line-receiver.test.ts.
import { ByteBuffer } from './byte-buffer';
import { Protocol } from './protocol';

const EMPTY = Buffer.alloc(0);

/**
 * A protocol that cuts the byte stream into lines, as Twisted's
 * `twisted.protocols.basic.LineReceiver`: each line, without its delimiter, goes to
 * `lineReceived`; after `setRawMode()` the bytes go to `rawDataReceived` as they come, until
 * `setLineMode()`.
 *
 * Bytes and strings: the stream is cut on the delimiter's bytes, then each line is decoded as
 * UTF-8 (an invalid sequence becomes U+FFFD), so a character split between two reads arrives
 * whole. `MAX_LENGTH` counts bytes, as in Twisted.
 *
 * Memory: a line longer than `MAX_LENGTH` is refused (`lineLengthExceeded`, which drops the
 * connection) as soon as `MAX_LENGTH` + delimiter bytes have arrived without a delimiter; the
 * partial line held between reads is never longer than that, however the peer cuts its stream.
 *
 * Difference from Twisted's, on purpose: once the transport is disconnecting, further data is
 * ignored (Twisted stops only within one read). A real transport stops reading at
 * `loseConnection` anyway; this makes a `StringTransport` test give the same lines whatever
 * the chunking.
 */
export abstract class LineReceiver extends Protocol {
  /** What ends a line, in both directions (sent as UTF-8). */
  delimiter = '\r\n';

  /** The longest line accepted, in bytes, without its delimiter. */
  MAX_LENGTH = 16384;

  /** True between `pauseProducing` and `resumeProducing`: no lines are delivered meanwhile. */
  paused = false;

  #lineMode = true;
  // The start of a line whose delimiter has not arrived, at most MAX_LENGTH + delimiter bytes.
  readonly #partial = new ByteBuffer();
  // Where the delimiter search in #partial resumes: the bytes before it were searched already.
  #searchFrom = 0;
  // Reads not handled yet: the rest of the current read, data passed to dataReceived from a
  // callback (handled after it returns, as in Twisted), or what arrived while paused.
  readonly #unhandled: Buffer[] = [];
  #busy = false;
  #delimiterText = '';
  #delimiterBytes = EMPTY;

  /**
   * Handle one line.
   * @param line - the line without its delimiter, decoded as UTF-8 ('' for an empty line).
   */
  abstract lineReceived(line: string): void;

  /**
   * Handle bytes received in raw mode (after `setRawMode`). Override it to use raw mode.
   * @param data - the bytes, cut anywhere in the stream.
   * @throws Error unless overridden.
   */
  rawDataReceived(data: Buffer): void {
    throw new Error(`${this.constructor.name} called setRawMode but does not override rawDataReceived`);
  }

  /**
   * Called when a line is longer than `MAX_LENGTH`. Drops the connection (`loseConnection`);
   * override it to answer with an error first, for instance.
   * @param line - what was buffered, starting with (some of) the long line: it may hold more
   *   than one line, or only the first part of one, and may end in the middle of a character,
   *   which is why it is bytes.
   */
  lineLengthExceeded(line: Buffer): void {
    this.transport.loseConnection();
  }

  /**
   * Send a line: `line` then the delimiter, in one write.
   * @param line - the line, without delimiter; a string is sent as UTF-8.
   */
  sendLine(line: Uint8Array | string): void {
    if (typeof line === 'string') this.transport.write(line + this.delimiter);
    else this.transport.write(Buffer.concat([line, this.#delimiter()]));
  }

  /**
   * Cut the bytes into lines and deliver them (or deliver them raw, in raw mode). May be called
   * from `lineReceived` or `rawDataReceived` itself: those bytes are handled after it returns.
   * @param data - the bytes, cut anywhere in the stream.
   */
  override dataReceived(data: Buffer): void {
    if (this.#busy) {
      if (data.length > 0) this.#unhandled.push(data);
      return;
    }
    if (this.transport?.disconnecting) return;
    if (data.length > 0) this.#unhandled.push(data);
    this.#busy = true;
    try {
      this.#deliver();
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Deliver what follows to `rawDataReceived`, as bytes, until `setLineMode`. Lines already
   * received but not yet delivered (from the same read) are delivered raw too.
   */
  setRawMode(): void {
    this.#lineMode = false;
  }

  /**
   * Deliver what follows to `lineReceived`.
   * @param extra - bytes that `rawDataReceived` did not use, to be cut into lines first. Do not
   *   pass any from `lineReceived`: the rest of that read is delivered as lines anyway.
   */
  setLineMode(extra: Uint8Array | string = EMPTY): void {
    this.#lineMode = true;
    const bytes = typeof extra === 'string' ? Buffer.from(extra) : Buffer.from(extra.buffer, extra.byteOffset, extra.length);
    if (bytes.length > 0) this.dataReceived(bytes);
  }

  /**
   * Drop everything buffered: the partial line and what has not been delivered.
   * @returns the bytes dropped.
   */
  clearLineBuffer(): Buffer {
    const cleared = Buffer.concat([this.#partial.view(), ...this.#unhandled]);
    this.#partial.clear();
    this.#unhandled.length = 0;
    this.#searchFrom = 0;
    return cleared;
  }

  /** @returns how many bytes are buffered (the partial line and undelivered reads): for tests. */
  get bufferSize(): number {
    return this.#unhandled.reduce((total, chunk) => total + chunk.length, this.#partial.length);
  }

  /** Stop delivering lines, and ask the transport to stop reading, until `resumeProducing`. */
  pauseProducing(): void {
    this.paused = true;
    this.transport.pauseProducing();
  }

  /** Deliver lines again, starting with those that arrived meanwhile, and resume reading. */
  resumeProducing(): void {
    this.paused = false;
    this.transport.resumeProducing();
    this.dataReceived(EMPTY);
  }

  /** Stop delivering lines for good, and stop the transport. */
  stopProducing(): void {
    this.paused = true;
    this.transport.stopProducing();
  }

  #delimiter(): Buffer {
    if (this.delimiter !== this.#delimiterText) {
      this.#delimiterText = this.delimiter;
      this.#delimiterBytes = Buffer.from(this.delimiter);
    }
    return this.#delimiterBytes;
  }

  // The loop behind dataReceived: one line (or one raw delivery) per turn, until the data runs
  // out, the receiver is paused or the connection is closing.
  #deliver(): void {
    const unhandled = this.#unhandled;
    while (!this.paused && !this.transport?.disconnecting) {
      if (!this.#lineMode) {
        if (this.#partial.length === 0 && unhandled.length === 0) return;
        this.rawDataReceived(this.clearLineBuffer());
        continue;
      }
      const delimiter = this.#delimiter();
      const limit = this.MAX_LENGTH + delimiter.length;
      if (this.#partial.length > 0) {
        // Look for the end of the partial line; feed it from the unhandled reads only up to
        // the limit, so it never holds more.
        const held = this.#partial.view();
        const end = held.indexOf(delimiter, this.#searchFrom);
        if (end >= 0) {
          const line = held.toString('utf8', 0, end);
          this.#partial.consume(end + delimiter.length);
          this.#searchFrom = 0;
          this.lineReceived(line);
        } else if (held.length >= limit) {
          return this.#exceeded();
        } else if (unhandled.length === 0) {
          return;
        } else {
          const take = Math.min(unhandled[0].length, limit - held.length);
          this.#searchFrom = Math.max(0, held.length - delimiter.length + 1);
          this.#partial.append(unhandled[0].subarray(0, take), limit);
          this.#shift(take);
        }
        continue;
      }
      if (unhandled.length === 0) return;
      // Nothing partial: take lines straight from the read, without copying them.
      const chunk = unhandled[0];
      const end = chunk.indexOf(delimiter);
      if (end > this.MAX_LENGTH || (end < 0 && chunk.length >= limit)) return this.#exceeded();
      if (end < 0) {
        this.#partial.append(chunk, limit);
        this.#searchFrom = Math.max(0, chunk.length - delimiter.length + 1);
        this.#shift(chunk.length);
        continue;
      }
      const line = chunk.toString('utf8', 0, end);
      this.#shift(end + delimiter.length);
      this.lineReceived(line);
    }
  }

  // Drop `count` bytes from the front of the first unhandled read.
  #shift(count: number): void {
    const unhandled = this.#unhandled;
    if (count >= unhandled[0].length) unhandled.shift();
    else unhandled[0] = unhandled[0].subarray(count);
  }

  #exceeded(): void {
    this.lineLengthExceeded(this.clearLineBuffer());
  }
}
