// Chapter 03: the default reactor, waiting in the epoll-style Poller of chapter 02
// (tested in test/reactor/reactor.test.ts and test/reactor/tcp.test.ts, beside SelectReactor).
import { Poller } from '../sockets/poller';
import type { Selectable } from '../sockets/selectable';
import { ReactorBase, type ReadyEvents } from './base';

/**
 * A reactor that keeps its sockets registered with a `Poller` and, each turn, looks at the
 * sockets that became ready only, as Twisted's epollreactor does: the cost of a turn grows with
 * the number of ready sockets, not the number watched. Twisted's default on Linux, and ours.
 * See ReactorBase for the loop itself.
 */
export class EpollReactor extends ReactorBase {
  readonly #poller = new Poller();

  protected waitForEvents(timeoutSeconds?: number): Promise<ReadyEvents> {
    return this.#poller.poll(timeoutSeconds);
  }

  protected wakeUp(): void {
    this.#poller.wakeUp();
  }

  protected watchChanged(socket: Selectable, mask: number): void {
    if (mask === 0) this.#poller.unregister(socket);
    else this.#poller.register(socket, mask);
  }
}
