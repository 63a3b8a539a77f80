// Chapter 12 (the transformation server speaks netstrings). Tests: test/protocol/netstring-receiver.test.ts.
import { ByteBuffer } from './byte-buffer';
import { Protocol } from './protocol';

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

// Where the parser is in a netstring such as `12:hello world!,`: reading the length's digits up
// to the ':', reading the announced number of bytes, or expecting the ',' that ends it.
const State = { Length: 0, Payload: 1, Comma: 2 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * A protocol that sends and receives netstrings (https://cr.yp.to/proto/netstrings.txt), as
 * Twisted's `twisted.protocols.basic.NetstringReceiver`: the payload's length in decimal ASCII,
 * a colon, the payload, a comma. `sendString('hello world!')` writes `12:hello world!,`, the
 * same bytes as Twisted's, and each complete netstring received goes to `stringReceived`.
 *
 * Safety, as in Twisted: a netstring longer than `MAX_LENGTH` is refused as soon as its length
 * says so, and a malformed one (a length that is not digits or has a leading zero, anything
 * before the length, no comma at the end) drops the connection (`transport.loseConnection()`)
 * and sets `brokenPeer`. Unlike Twisted's, a broken peer's later data is ignored rather than
 * parsed again, and the payload is stored in memory that grows with what has arrived (never
 * past `MAX_LENGTH`), not all at once when the length is read: a peer that announces the
 * maximum and then trickles costs what it has sent.
 */
export abstract class NetstringReceiver extends Protocol {
  /** The longest payload accepted, in bytes. */
  MAX_LENGTH = 99999;

  /** True once the peer sent a malformed or too long netstring: nothing more is parsed. */
  brokenPeer = false;

  #state: State = State.Length;
  #length = 0; // the length read so far (State.Length), then the payload's length
  #digits = 0; // how many digits of the length have been read
  readonly #payload = new ByteBuffer(); // a payload arriving over several reads
  #pending: Buffer | undefined; // a payload that arrived in one read, waiting for its comma

  /**
   * Handle one netstring.
   * @param data - its payload, without the framing (a Buffer of its own; empty for `0:,`).
   */
  abstract stringReceived(data: Buffer): void;

  /**
   * Send `data` as one netstring, in one write.
   * @param data - the payload; a string is sent as UTF-8 (its length counts bytes).
   */
  sendString(data: Uint8Array | string): void {
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    this.transport.write(Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.of(COMMA)]));
  }

  /**
   * Parse the bytes, calling `stringReceived` for each netstring they complete, or drop the
   * connection at the first byte that cannot be part of a valid netstring.
   * @param data - the bytes, cut anywhere in the stream.
   */
  override dataReceived(data: Buffer): void {
    let offset = 0;
    while (offset < data.length && !this.brokenPeer) {
      switch (this.#state) {
        case State.Length:
          this.#readLength(data[offset]);
          offset += 1;
          break;
        case State.Payload:
          offset = this.#readPayload(data, offset);
          break;
        case State.Comma:
          this.#readComma(data[offset]);
          offset += 1;
          break;
      }
    }
  }

  /** @returns how many payload bytes are held now (at most MAX_LENGTH): for tests. */
  get bufferSize(): number {
    return this.#payload.length + (this.#pending?.length ?? 0);
  }

  #readLength(byte: number): void {
    if (byte === COLON && this.#digits > 0) {
      this.#state = this.#length === 0 ? State.Comma : State.Payload;
    } else if (byte < ZERO || byte > NINE) {
      // Garbage before the length, a colon with no digits, or a non-digit in the length.
      this.#broken();
    } else if (this.#digits > 0 && this.#length === 0) {
      // A leading zero ('007:'): netstrings write lengths without them.
      this.#broken();
    } else {
      this.#length = this.#length * 10 + (byte - ZERO);
      this.#digits += 1;
      // Too long: refused at the first digit that says so, so a length with too many digits is
      // refused before it is long, and the number stays far below 2^53.
      if (this.#length > this.MAX_LENGTH) this.#broken();
    }
  }

  #readPayload(data: Buffer, offset: number): number {
    const length = this.#length;
    const missing = length - this.#payload.length;
    const available = data.length - offset;
    if (this.#payload.length === 0 && available >= length) {
      // The whole payload is in this read: copy it once, without buffering.
      this.#complete(Buffer.from(data.subarray(offset, offset + length)));
      return offset + length;
    }
    const count = Math.min(missing, available);
    this.#payload.append(data.subarray(offset, offset + count), length);
    if (count === missing) this.#complete(undefined);
    return offset + count;
  }

  // The payload is all there (`payload`, or in #payload when undefined): the comma comes next.
  #complete(payload: Buffer | undefined): void {
    this.#state = State.Comma;
    this.#pending = payload;
  }

  #readComma(byte: number): void {
    if (byte !== COMMA) return this.#broken();
    const payload = this.#length === 0 ? Buffer.alloc(0) : (this.#pending ?? this.#payload.take());
    this.#pending = undefined;
    this.#state = State.Length;
    this.#length = 0;
    this.#digits = 0;
    this.stringReceived(payload);
  }

  // Twisted's _handleParseError: drop the connection and stop parsing for good.
  #broken(): void {
    this.brokenPeer = true;
    this.#payload.clear();
    this.#pending = undefined;
    this.transport?.loseConnection();
  }
}
