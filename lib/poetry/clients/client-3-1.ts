// Chapter 06: the Get Poetry Now! client, reactor version 3.1: getPoetry(host, port, callback,
// errback), which also calls you back when it fails (tested in test/poetry/clients.test.ts).
import type { Failure } from '../../defer/failure';
import { reactor as defaultReactor } from '../../reactor/default';
import type { IConnector, IReactorTCP } from '../../reactor/interfaces';
import { ClientFactory } from '../../protocol/factory';
import { Protocol } from '../../protocol/protocol';
import type { Address } from '../../sockets/address';
import { clientContext, type ReactorClientOptions, type ReactorClientResult } from './common';

/** One poem download: the transport hands it the bytes; it tells its factory when it is done. */
export class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  poem: Buffer = Buffer.alloc(0);

  override dataReceived(data: Buffer): void {
    this.poem = Buffer.concat([this.poem, data]);
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.poemReceived(this.poem);
  }

  poemReceived(poem: Buffer): void {
    this.factory.poemFinished(poem);
  }
}

/** Builds the protocol for one download and hands its poem to `callback`, or its failure to `errback`. */
export class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol; // tell the base class what protocol to build

  constructor(
    readonly callback: (poem: Buffer) => void,
    readonly errback: (reason: Failure) => void,
  ) {
    super();
  }

  poemFinished(poem: Buffer): void {
    this.callback(poem);
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.errback(reason);
  }
}

/**
 * Download a poem from `host:port`. Returns at once; once the reactor runs and the poem is in,
 * calls `callback(poem)`; if the connection cannot be made, calls `errback(reason)` instead.
 */
export function getPoetry(
  host: string,
  port: number,
  callback: (poem: Buffer) => void,
  errback: (reason: Failure) => void,
  reactor: IReactorTCP = defaultReactor,
): void {
  const factory = new PoetryClientFactory(callback, errback);
  reactor.connectTCP(host, port, factory);
}

/**
 * The client's main: a getPoetry per address, a callback and an errback that stop the reactor
 * once every download is over, either way; then prints the poems, as the original does. Failures
 * are printed as they happen (`Poem failed: ...`, to stderr).
 * @returns the poems in the order they were finished, the failures, and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient31(
  addresses: readonly Address[],
  options: ReactorClientOptions = {},
): Promise<ReactorClientResult & { errors: Failure[] }> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const start = reactor.seconds();
  const poems: Buffer[] = [];
  const errors: Failure[] = [];

  const gotPoem = (poem: Buffer): void => {
    poems.push(poem);
    poemDone();
  };

  const poemFailed = (err: Failure): void => {
    logError(`Poem failed: ${err}`);
    errors.push(err);
    poemDone();
  };

  const poemDone = (): void => {
    if (poems.length + errors.length === addresses.length) reactor.stop();
  };

  for (const [host, port] of addresses) getPoetry(host, port, gotPoem, poemFailed, reactor);
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  for (const poem of poems) log(poem.toString());
  return { poems, errors, elapsed };
}
