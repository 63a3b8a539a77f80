// Chapter 05: the Get Poetry Now! client, reactor version 2.0, simple edition (the original's
// get-poetry-simple.py): the protocol and factory without the task numbers and the progress lines,
// so the shape shows alone (tested in test/poetry/clients.test.ts). Diff it with client-2.ts.
import type { Failure } from '../../defer/failure';
import type { IConnector } from '../../reactor/interfaces';
import { ClientFactory } from '../../protocol/factory';
import { Protocol } from '../../protocol/protocol';
import type { Address } from '../../sockets/address';
import { type ClientContext, clientContext, formatPeer, type ReactorClientOptions, type ReactorClientResult } from './common';

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

/**
 * Builds a PoetryProtocol for each connection, collects their poems, and stops the reactor once
 * every poem is in (or failed).
 */
export class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol; // tell the base class what protocol to build
  /** The poems, in the order they were finished. */
  readonly poems: Buffer[] = [];

  constructor(
    private poetryCount: number,
    readonly client: ClientContext,
  ) {
    super();
  }

  /** One download is over: with a poem, or without (its connection failed). */
  poemFinished(poem?: Buffer): void {
    if (poem !== undefined) this.poems.push(poem);
    this.poetryCount -= 1;
    if (this.poetryCount === 0) {
      this.report();
      this.client.reactor.stop();
    }
  }

  report(): void {
    for (const poem of this.poems) this.client.log(poem.toString());
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.client.log(`Failed to connect to: ${formatPeer(connector.getDestination())}`);
    this.poemFinished();
  }
}

/**
 * The client's main: one factory, one connectTCP per address, then the reactor runs until the
 * factory stops it, having printed the poems.
 * @returns the poems in the order they were finished, and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient2Simple(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<ReactorClientResult> {
  const client = clientContext(addresses, options);
  const { reactor } = client;
  const start = reactor.seconds();
  const factory = new PoetryClientFactory(addresses.length, client);
  for (const [host, port] of addresses) reactor.connectTCP(host, port, factory);
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  return { poems: factory.poems, elapsed };
}
