// Chapter 03 onwards: the slow poetry server, reactor edition: any number of clients at once
// (tested in test/poetry/servers.test.ts).
import type { Failure } from '../defer/failure';
import { reactor as defaultReactor } from '../reactor/default';
import type { IDelayedCall, IReactorTime } from '../reactor/interfaces';
import { untilNextTick } from '../reactor/task';
import { ServerFactory } from '../protocol/factory';
import { Protocol } from '../protocol/protocol';
import { formatAddressTuple } from '../sockets/address';

/** How the poem is served, as the blocking edition's options. */
export interface SlowPoetryOptions {
  numBytes: number;
  delay: number;
  /** The reactor whose clock times the chunks (default: the default reactor). */
  clock?: IReactorTime;
  /** Where progress lines go (default console.log; `() => {}` for none). */
  log?: (line: string) => void;
}

/**
 * Sends the factory's poem `numBytes` every `delay` seconds, then closes: the blocking server's
 * schedule, but each wait is a timed call, so the reactor serves others meanwhile. Chunk k is
 * due at `start + k * delay`, as a LoopingCall ticks (the same arithmetic, `untilNextTick`,
 * without a Deferred per chunk): a late chunk does not delay the next one, and a chunk so late
 * that its successor's time has passed too is not followed by a catch-up burst.
 */
export class SlowPoetryProtocol extends Protocol {
  declare factory: SlowPoetryFactory;
  #sent = 0; // chunks sent
  #start = 0;
  #next: IDelayedCall | undefined;
  readonly #tick = (): void => this.#sendNext(); // one closure per client, not one per chunk

  override connectionMade(): void {
    const { host, port } = this.transport.getPeer();
    this.factory.log(`Somebody at ${formatAddressTuple([host, port])} wants poetry!`);
    this.#start = this.factory.clock.seconds();
    this.#sendNext();
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    if (this.#next?.active()) this.#next.cancel();
  }

  #sendNext(): void {
    const { chunks, clock } = this.factory;
    if (this.#sent >= chunks.length) {
      this.transport.loseConnection();
      return;
    }
    const chunk = chunks[this.#sent++];
    this.factory.log(chunk.line);
    this.transport.write(chunk.bytes);
    // As the blocking server sleeps after every chunk, the last one included.
    this.#next = clock.callLater(untilNextTick(this.#start, this.factory.options.delay, clock.seconds()), this.#tick);
  }
}

/** Makes a SlowPoetryProtocol per client, all sharing one poem. */
export class SlowPoetryFactory extends ServerFactory {
  override protocol = SlowPoetryProtocol;
  readonly poem: Uint8Array;
  readonly options: SlowPoetryOptions;
  readonly clock: IReactorTime;
  readonly log: (line: string) => void;
  /** The poem cut into `numBytes` pieces once, with each one's progress line, for every client. */
  readonly chunks: ReadonlyArray<{ readonly bytes: Buffer; readonly line: string }>;

  constructor(poem: Uint8Array, options: SlowPoetryOptions) {
    super();
    this.poem = poem;
    this.options = options;
    this.chunks = cut(poem, options.numBytes);
    this.clock = options.clock ?? defaultReactor;
    this.log = options.log ?? ((line) => console.log(line));
  }
}

// Buffer views, not copies: a socket writes a Buffer as it is (a plain Uint8Array it would wrap).
function cut(poem: Uint8Array, numBytes: number): Array<{ bytes: Buffer; line: string }> {
  const chunks: Array<{ bytes: Buffer; line: string }> = [];
  for (let offset = 0; offset < poem.length; offset += numBytes) {
    const length = Math.min(numBytes, poem.length - offset);
    chunks.push({ bytes: Buffer.from(poem.buffer, poem.byteOffset + offset, length), line: `Sending ${length} bytes` });
  }
  return chunks;
}
