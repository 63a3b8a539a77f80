// Chapter 05: the Get Poetry Now! client, reactor version 2.0, stack edition: dataReceived prints
// who called it, then hangs up (tested in test/poetry/clients.test.ts). Diff it with client-2.ts.
import type { Failure } from '../../defer/failure';
import type { IAddress, IConnector } from '../../reactor/interfaces';
import { ClientFactory } from '../../protocol/factory';
import { Protocol } from '../../protocol/protocol';
import type { Address } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { callStack, type ClientContext, clientContext, formatPeer, type ReactorClientOptions, type ReactorClientResult, taskName } from './common';

/** One poem download: the transport hands it the bytes; it tells its factory when it is done. */
export class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  poem: Buffer = Buffer.alloc(0);
  taskNum = 0;

  override dataReceived(data: Buffer): void {
    // Who calls our code? The stack says: the transport's doRead, called by the reactor's loop.
    this.factory.client.log(callStack(`${taskName(this.taskNum)}: the stack of dataReceived`));
    // Enough poetry: hang up (the original exits the program here).
    this.transport.loseConnection();
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.poemReceived(this.poem);
  }

  poemReceived(poem: Buffer): void {
    this.factory.poemFinished(this.taskNum, poem);
  }
}

/**
 * Builds a PoetryProtocol for each connection, numbering them as it goes, collects their poems,
 * and stops the reactor once every poem is in (or failed).
 */
export class PoetryClientFactory extends ClientFactory {
  taskNum = 1;
  override protocol = PoetryProtocol; // tell the base class what protocol to build
  /** The poems, task 1's first (tasks are numbered as connections are made; failed ones get none). */
  readonly poems: Buffer[] = [];

  constructor(
    private poetryCount: number,
    readonly client: ClientContext,
  ) {
    super();
  }

  override buildProtocol(address: IAddress): PoetryProtocol {
    const proto = super.buildProtocol(address) as PoetryProtocol;
    proto.taskNum = this.taskNum;
    this.taskNum += 1;
    return proto;
  }

  /** One download is over: with a poem, or without (its connection failed). */
  poemFinished(taskNum?: number, poem?: Buffer): void {
    if (taskNum !== undefined && poem !== undefined) this.poems[taskNum - 1] = poem;
    this.poetryCount -= 1;
    if (this.poetryCount === 0) {
      this.report();
      this.client.reactor.stop();
    }
  }

  report(): void {
    this.poems.forEach((poem, i) => this.client.log(`Task ${i + 1}: ${poem.length} bytes of poetry`));
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.client.log(`Failed to connect to: ${formatPeer(connector.getDestination())}`);
    this.poemFinished();
  }
}

/**
 * The client's main: one factory, one connectTCP per address, then the reactor runs until the
 * factory stops it. Prints as the original does (which says "Got N poems" for every address, even
 * one that failed).
 * @returns the poems in task order (the order the connections were made) and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient2Stack(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<ReactorClientResult> {
  const client = clientContext(addresses, options);
  const { reactor, log } = client;
  const start = reactor.seconds();
  const factory = new PoetryClientFactory(addresses.length, client);
  for (const [host, port] of addresses) reactor.connectTCP(host, port, factory);
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${addresses.length} poems in ${formatElapsed(elapsed)}`);
  return { poems: factory.poems, elapsed };
}
