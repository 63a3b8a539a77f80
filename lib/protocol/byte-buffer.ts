// Chapters 05 and 12 (framing messages on a stream). Tests: test/protocol/byte-buffer.test.ts.
// Internal to lib/protocol: LineReceiver and NetstringReceiver keep their partial messages here.

const EMPTY = Buffer.alloc(0);
// Storage this large or smaller is kept for reuse once emptied; larger is dropped, so an idle
// connection does not hold on to the memory of its longest message.
const KEEP_CAPACITY = 4096;

/**
 * A queue of bytes for a protocol's partial message: appended at the end, consumed from the
 * front, in storage that grows by doubling (so feeding a message one byte at a time costs O(n),
 * not the O(n^2) of concatenating each time) up to a limit the caller gives, so its memory stays
 * bounded by the protocol's `MAX_LENGTH`.
 */
export class ByteBuffer {
  #store: Buffer = EMPTY;
  #start = 0; // the bytes held are #store[#start, #end)
  #end = 0;

  /** @returns how many bytes are held. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** @returns the size of the storage allocated now, in bytes (>= `length`). */
  get capacity(): number {
    return this.#store.length;
  }

  /**
   * @returns the bytes held, as a view into the storage: valid until the next `append`,
   *   `consume` or `clear`; copy it (`take`) to keep it.
   */
  view(): Buffer {
    return this.#store.subarray(this.#start, this.#end);
  }

  /**
   * Add bytes at the end.
   * @param data - the bytes (copied).
   * @param capacityLimit - the storage never grows past this many bytes, unless the bytes held
   *   need more (default: no limit beyond what they need).
   */
  append(data: Uint8Array, capacityLimit = Infinity): void {
    const needed = this.length + data.length;
    if (this.#end + data.length > this.#store.length) {
      if (needed <= this.#store.length) {
        // Room enough once the consumed front is reclaimed.
        this.#store.copy(this.#store, 0, this.#start, this.#end);
      } else {
        const doubled = Math.max(2 * this.#store.length, 64);
        const store = Buffer.allocUnsafe(Math.max(needed, Math.min(doubled, capacityLimit)));
        this.#store.copy(store, 0, this.#start, this.#end);
        this.#store = store;
      }
      this.#end = this.length;
      this.#start = 0;
    }
    this.#store.set(data, this.#end);
    this.#end += data.length;
  }

  /**
   * Drop bytes from the front.
   * @param count - how many, at most `length`.
   */
  consume(count: number): void {
    this.#start += Math.min(count, this.length);
    if (this.#start === this.#end) this.#reset();
  }

  /** @returns a copy of the bytes held, which are then dropped. */
  take(): Buffer {
    const bytes = Buffer.from(this.view());
    this.#reset();
    return bytes;
  }

  /** Drop every byte held and the storage too. */
  clear(): void {
    this.#store = EMPTY;
    this.#start = this.#end = 0;
  }

  #reset(): void {
    if (this.#store.length > KEEP_CAPACITY) this.#store = EMPTY;
    this.#start = this.#end = 0;
  }
}
