// Chapter 04: the Get Poetry Now! client, reactor version 1.0: a socket the reactor reads for us
// (tested in test/poetry/clients.test.ts). `diff client-1.ts client-1-broken.ts` is the bug.
// Low-level on purpose, as the original: later versions use protocols instead.
import type { Failure } from '../../defer/failure';
import { describeError } from '../../log/index';
import { ConnectionDone, ConnectionLost } from '../../reactor/errors';
import type { IReadDescriptor } from '../../reactor/interfaces';
import { type Address, formatAddress } from '../../sockets/address';
import { WouldBlockError } from '../../sockets/errors';
import { NonBlockingSocket } from '../../sockets/nonblocking-socket';
import { formatElapsed } from '../../timing/format-elapsed';
import { type ClientContext, clientContext, type ReactorClientOptions, type ReactorClientResult, taskName } from './common';

/**
 * One poem download, as a reader descriptor: the reactor calls `doRead` whenever the socket is
 * readable, and `connectionLost` once it is done. Implements IReadDescriptor.
 */
export class PoetrySocket implements IReadDescriptor {
  /** The bytes received so far. */
  poem: Buffer = Buffer.alloc(0);
  readonly #sock: NonBlockingSocket;

  constructor(
    readonly taskNum: number,
    readonly address: Address,
    private readonly client: ClientContext,
  ) {
    // A non-blocking socket: no call on it ever waits (the original connects, then sets it so).
    this.#sock = NonBlockingSocket.connect(...address);
    // Tell the reactor to watch this socket for reading.
    client.reactor.addReader(this);
  }

  /** The socket the reactor waits on. */
  fileno(): NonBlockingSocket {
    return this.#sock;
  }

  /** The socket is done (closed by the server, or broken): close it, and stop once all are done. */
  connectionLost(reason: Failure): void {
    this.#sock.close();
    // Stop monitoring this socket (the reactor has already: removing twice does nothing).
    const { reactor } = this.client;
    reactor.removeReader(this);
    // See if there are any poetry sockets left.
    if (reactor.getReaders().some((reader) => reader instanceof PoetrySocket)) return;
    reactor.stop(); // no more poetry
  }

  /**
   * Reads everything that has arrived, until `recv` would block, and prints how much it got.
   * @returns `ConnectionDone` at the end of the poem, `ConnectionLost` if the socket failed.
   */
  doRead(): Error | undefined {
    const chunks: Buffer[] = [];
    const task = taskName(this.taskNum);
    for (;;) {
      let data: Buffer;
      try {
        data = this.#sock.recv(1024);
      } catch (error) {
        if (error instanceof WouldBlockError) break; // all there is for now: back to the reactor
        return new ConnectionLost(`Connection to the other side was lost: ${describeError(error)}.`);
      }
      if (data.length === 0) break;
      chunks.push(data);
    }
    const bytes = Buffer.concat(chunks);
    if (bytes.length === 0) {
      this.client.log(`${task} finished`);
      return new ConnectionDone('Connection was closed cleanly.');
    }
    this.client.timeline?.chunk(task, bytes.length);
    this.client.log(`${task}: got ${bytes.length} bytes of poetry from ${formatAddress(this.address)}`);
    this.poem = Buffer.concat([this.poem, bytes]);
    return undefined;
  }

  logPrefix(): string {
    return 'poetry';
  }
}

/**
 * The client's main: one PoetrySocket per address, then the reactor runs until the last one is
 * done. Prints as the original does.
 * @returns the poems in the order of `addresses` (what arrived, if a connection failed) and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient1(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<ReactorClientResult> {
  const client = clientContext(addresses, options);
  const { reactor, log } = client;
  const start = reactor.seconds();
  const sockets = addresses.map((address, i) => new PoetrySocket(i + 1, address, client));
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  sockets.forEach((sock, i) => log(`Task ${i + 1}: ${sock.poem.length} bytes of poetry`));
  log(`Got ${addresses.length} poems in ${formatElapsed(elapsed)}`);
  return { poems: sockets.map((sock) => sock.poem), elapsed };
}
