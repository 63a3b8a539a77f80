// Chapter 06: the Get Poetry Now! client, reactor version 3.0: getPoetry(host, port, callback),
// a function that returns at once and calls you back with the poem (tested in test/poetry/clients.test.ts).
import type { Failure } from '../../defer/failure';
import { reactor as defaultReactor } from '../../reactor/default';
import type { IReactorTCP } from '../../reactor/interfaces';
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

/** Builds the protocol for one download and hands its poem to `callback`. */
export class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol; // tell the base class what protocol to build

  constructor(readonly callback: (poem: Buffer) => void) {
    super();
  }

  poemFinished(poem: Buffer): void {
    this.callback(poem);
  }
}

/**
 * Download a poem from `host:port`. Returns at once; once the reactor runs and the poem is in,
 * calls `callback(poem)`. If the connection fails, nothing is ever called (version 3.1 fixes that).
 */
export function getPoetry(host: string, port: number, callback: (poem: Buffer) => void, reactor: IReactorTCP = defaultReactor): void {
  const factory = new PoetryClientFactory(callback);
  reactor.connectTCP(host, port, factory);
}

/**
 * The client's main: a getPoetry per address, and a callback that stops the reactor once every
 * poem is in; then prints the poems, as the original does. If a connection fails, the reactor
 * runs on until someone else stops it.
 * @returns the poems in the order they were finished, and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient3(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<ReactorClientResult> {
  const { reactor, log } = clientContext(addresses, options);
  const start = reactor.seconds();
  const poems: Buffer[] = [];

  const gotPoem = (poem: Buffer): void => {
    poems.push(poem);
    if (poems.length === addresses.length) reactor.stop();
  };

  for (const [host, port] of addresses) getPoetry(host, port, gotPoem, reactor);
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  for (const poem of poems) log(poem.toString());
  return { poems, elapsed };
}
