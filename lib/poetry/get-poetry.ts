// Chapters 08 and 19: the poetry client's protocol and factory, and getPoetry returning a
// Deferred (client 4.0's shape, with cancellation) (tested in test/poetry/servers.test.ts).
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { reactor as defaultReactor } from '../reactor/default';
import { ConnectionDone } from '../reactor/errors';
import type { IConnector, IReactorTCP } from '../reactor/interfaces';
import { Protocol } from '../protocol/protocol';
import { ClientFactory } from '../protocol/factory';

/** Collects a poem: every byte until the server closes the connection. */
export class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  readonly #chunks: Buffer[] = [];

  override dataReceived(data: Buffer): void {
    this.#chunks.push(data);
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    // A clean close ends the poem; a reset or abort means it may be cut short.
    if (reason.check(ConnectionDone)) this.poemReceived(Buffer.concat(this.#chunks).toString('utf8'));
    else this.factory.poemFailed(reason);
  }

  /** The whole poem arrived. */
  poemReceived(poem: string): void {
    this.factory.poemFinished(poem);
  }
}

/** Fires its Deferred once: with the poem, or with why there is none. */
export class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol;
  #deferred: Deferred<string> | undefined;

  constructor(deferred: Deferred<string>) {
    super();
    this.#deferred = deferred;
  }

  /** Fires the Deferred with the poem (once). */
  poemFinished(poem: string): void {
    this.#take()?.callback(poem);
  }

  /** Fires the Deferred with the failure (once). */
  poemFailed(reason: Failure): void {
    this.#take()?.errback(reason);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.poemFailed(reason);
  }

  // The Deferred, the first time only, and not once it has fired (it was cancelled).
  #take(): Deferred<string> | undefined {
    const deferred = this.#deferred;
    this.#deferred = undefined;
    return deferred?.called ? undefined : deferred;
  }
}

/**
 * Downloads a poem from `host:port` with the reactor.
 * @param reactor - the reactor to connect with (default: the default reactor); it must run for
 *   anything to happen.
 * @returns a Deferred that fires with the poem, or fails with ConnectionRefusedError,
 *   ConnectionLost, TimeoutError...; cancelling it drops the connection (CancelledError).
 */
export function getPoetry(host: string, port: number, reactor: IReactorTCP = defaultReactor): Deferred<string> {
  let connector: IConnector | undefined;
  const deferred = new Deferred<string>(() => connector?.disconnect());
  connector = reactor.connectTCP(host, port, new PoetryClientFactory(deferred));
  return deferred;
}
