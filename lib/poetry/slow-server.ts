// Chapter 03 onwards: the slow poetry server, reactor edition: any number of clients at once
// (tested in test/poetry/servers.test.ts).
import type { Failure } from '../defer/failure';
import { reactor as defaultReactor } from '../reactor/default';
import type { IDelayedCall, IReactorTime } from '../reactor/interfaces';
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
 * Sends the factory's poem `numBytes` every `delay` seconds, then closes: the same schedule as
 * the blocking server's, but each wait is a timed call, so the reactor serves others meanwhile.
 */
export class SlowPoetryProtocol extends Protocol {
  declare factory: SlowPoetryFactory;
  #offset = 0;
  #next: IDelayedCall | undefined;

  override connectionMade(): void {
    const { host, port } = this.transport.getPeer();
    this.factory.log(`Somebody at ${formatAddressTuple([host, port])} wants poetry!`);
    this.#sendNext();
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    if (this.#next?.active()) this.#next.cancel();
  }

  #sendNext(): void {
    const { poem, options } = this.factory;
    if (this.#offset >= poem.length) {
      this.transport.loseConnection();
      return;
    }
    const chunk = poem.subarray(this.#offset, this.#offset + options.numBytes);
    this.#offset += chunk.length;
    this.factory.log(`Sending ${chunk.length} bytes`);
    this.transport.write(chunk);
    // As the blocking server sleeps after every chunk, the last one included.
    this.#next = this.factory.clock.callLater(options.delay, () => this.#sendNext());
  }
}

/** Makes a SlowPoetryProtocol per client, all sharing one poem. */
export class SlowPoetryFactory extends ServerFactory {
  override protocol = SlowPoetryProtocol;
  readonly poem: Uint8Array;
  readonly options: SlowPoetryOptions;
  readonly clock: IReactorTime;
  readonly log: (line: string) => void;

  constructor(poem: Uint8Array, options: SlowPoetryOptions) {
    super();
    this.poem = poem;
    this.options = options;
    this.clock = options.clock ?? defaultReactor;
    this.log = options.log ?? ((line) => console.log(line));
  }
}
