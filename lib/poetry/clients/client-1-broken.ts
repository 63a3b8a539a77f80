// Chapter 04: the BROKEN Get Poetry Now! client, reactor version 1.0: its doRead blocks, and the
// whole reactor with it (tested in test/poetry/clients.test.ts). `diff client-1.ts client-1-broken.ts`
// is the bug. Do not copy it: it is here to be watched failing.
import type { Failure } from '../../defer/failure';
import { ConnectionDone } from '../../reactor/errors';
import type { IReadDescriptor } from '../../reactor/interfaces';
import { type Address, formatAddress } from '../../sockets/address';
import { BlockingSocket } from '../../sockets/blocking-socket';
import { Selectable } from '../../sockets/selectable';
import { formatElapsed } from '../../timing/format-elapsed';
import { type ClientContext, clientContext, type ReactorClientOptions, type ReactorClientResult, taskName } from './common';

/**
 * What the reactor waits on for a blocking socket. A BlockingSocket's I/O happens in the I/O
 * worker thread, so this thread is never told when data arrives: it is reported readable at all
 * times, and the real waiting happens in `recv`, inside `doRead`, on the reactor's only thread.
 */
class AlwaysReadable extends Selectable {
  readable(): boolean {
    return true;
  }
  writable(): boolean {
    return false;
  }
}

/**
 * One poem download, as a reader descriptor: the reactor calls `doRead` whenever the socket is
 * readable, and `connectionLost` once it is done. Implements IReadDescriptor.
 */
export class PoetrySocket implements IReadDescriptor {
  /** The bytes received so far. */
  poem: Buffer = Buffer.alloc(0);
  readonly #sock: BlockingSocket;
  readonly #readiness = new AlwaysReadable();

  constructor(
    readonly taskNum: number,
    readonly address: Address,
    private readonly client: ClientContext,
  ) {
    // A blocking socket (the bug): connect waits until connected, and so will every recv.
    this.#sock = BlockingSocket.connect(...address);
    // Tell the reactor to watch this socket for reading.
    client.reactor.addReader(this);
  }

  /** The socket the reactor waits on. */
  fileno(): Selectable {
    return this.#readiness;
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
   * Reads the whole poem, waiting in `recv` for every chunk (broken: nothing else runs meanwhile),
   * and prints how much it got.
   * @returns `ConnectionDone` at the end of the poem.
   * @throws SocketError if the socket fails (the reactor logs it and disconnects this descriptor).
   */
  doRead(): Error | undefined {
    const chunks: Buffer[] = [];
    const task = taskName(this.taskNum);
    for (;;) {
      // We're just reading everything (blocking -- broken).
      const data = this.#sock.recv(1024);
      if (data.length === 0) break;
      this.client.timeline?.chunk(task, data.length);
      chunks.push(data);
    }
    const bytes = Buffer.concat(chunks);
    if (bytes.length === 0) {
      this.client.log(`${task} finished`);
      return new ConnectionDone('Connection was closed cleanly.');
    }
    this.client.log(`${task}: got ${bytes.length} bytes of poetry from ${formatAddress(this.address)}`);
    this.poem = Buffer.concat([this.poem, bytes]);
    return undefined;
  }

  logPrefix(): string {
    return 'poetry';
  }
}

/**
 * The broken client's main: one PoetrySocket per address, then the reactor runs until the last
 * one is done. Each poem is read in one go, one after another.
 * @returns the poems in the order of `addresses` and the total time.
 * @throws TypeError when `addresses` is empty; SocketError when a connection is refused.
 */
export async function runClient1Broken(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<ReactorClientResult> {
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
