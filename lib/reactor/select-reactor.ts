// Chapter 03: the reactor that waits in chapter 02's select(), asking about every socket each turn
// (tested in test/reactor/reactor.test.ts and test/reactor/tcp.test.ts, beside EpollReactor).
import { POLLIN, POLLOUT } from '../sockets/poller';
import { select } from '../sockets/select';
import { Selectable } from '../sockets/selectable';
import { ReactorBase, type ReadyEvents } from './base';

/**
 * Readable when woken: a waiting select() returns when something outside the loop needs it
 * (a timed call scheduled, `stop()`), as Twisted's `_Waker` does with a pipe it watches.
 */
class Waker extends Selectable {
  #woken = false;

  wake(): void {
    this.#woken = true;
    this.notify();
  }

  clear(): void {
    this.#woken = false;
  }

  readable(): boolean {
    return this.#woken;
  }

  writable(): boolean {
    return false;
  }
}

/**
 * A reactor that waits in `select()`, as Twisted's selectreactor does: each turn it hands every
 * watched socket to select(), which looks at each one, so a turn costs time in proportion to the
 * number of sockets watched, busy or idle. Portable and simple; `EpollReactor` is the one to use
 * with many connections. See ReactorBase for the loop itself.
 */
export class SelectReactor extends ReactorBase {
  readonly #waker = new Waker();
  #waiting = false;

  protected async waitForEvents(timeoutSeconds?: number): Promise<ReadyEvents> {
    const [readers, writers] = this.watched();
    this.#waiting = true;
    let ready: [Selectable[], Selectable[]];
    try {
      ready = await select([this.#waker, ...readers], [...writers], timeoutSeconds);
    } finally {
      this.#waiting = false;
      this.#waker.clear();
    }
    const events = new Map<Selectable, number>();
    for (const socket of ready[0]) if (socket !== this.#waker) events.set(socket, POLLIN);
    for (const socket of ready[1]) events.set(socket, (events.get(socket) ?? 0) | POLLOUT);
    return events;
  }

  protected wakeUp(): void {
    // Between two waits the loop sees every change on its next select(): nothing to wake.
    if (this.#waiting) this.#waker.wake();
  }

  protected watchChanged(_socket: Selectable, mask: number): void {
    // A socket added while select() waits (from a promise's callback, say) joins the next one.
    if (mask !== 0) this.wakeUp();
  }
}
