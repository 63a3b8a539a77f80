// Chapter 04: the reactor's readiness poller, epoll-style (tested in test/sockets/poller.test.ts).
import { setLongTimeout } from '../time/index';
import type { Selectable } from './selectable';

/** Event bits, as Python's `select.POLLIN` and `select.POLLOUT`. */
export const POLLIN = 1;
export const POLLOUT = 4;

interface Registration {
  mask: number;
  unsubscribe: () => void;
}

/**
 * Waits on many sockets at once, like epoll: sockets are registered once, and each `poll` looks
 * only at the sockets that became ready since, so its cost grows with the number of ready
 * sockets, not the number registered. Readiness is level-triggered: a socket that is still ready
 * is reported again by the next `poll`.
 */
export class Poller {
  readonly #registered = new Map<Selectable, Registration>();
  // Sockets that may be ready; the only ones `poll` looks at.
  readonly #candidates = new Set<Selectable>();
  // The waiting poll's resolver, and its timer's canceller: fields, not a closure per wait.
  #resolveWait: (() => void) | undefined;
  #cancelTimer: (() => void) | undefined;
  readonly #timedOut = (): void => this.#endWait();
  // Set by wakeUp: the waiting poll returns even with nothing ready.
  #woken = false;
  #examined = 0;

  /** How many sockets the last `poll` looked at (for tests and benchmarks). */
  get examined(): number {
    return this.#examined;
  }

  /** The number of registered sockets. */
  get size(): number {
    return this.#registered.size;
  }

  /**
   * Watches `socket` for the events in `mask` (`POLLIN`, `POLLOUT` or both); registering a
   * socket again changes its mask, like `modify`.
   * @throws TypeError when `mask` has no known event bit.
   */
  register(socket: Selectable, mask: number): void {
    if ((mask & (POLLIN | POLLOUT)) === 0) {
      throw new TypeError(`Expected \`mask\` to have POLLIN or POLLOUT set, got \`${mask}\` (${typeof mask})`);
    }
    const existing = this.#registered.get(socket);
    if (existing) {
      existing.mask = mask;
    } else {
      const unsubscribe = socket.onReadiness(() => this.#mayBeReady(socket));
      this.#registered.set(socket, { mask, unsubscribe });
    }
    this.#mayBeReady(socket);
  }

  /** Changes the events watched on a registered socket. */
  modify(socket: Selectable, mask: number): void {
    this.register(socket, mask);
  }

  /** Stops watching `socket`; unknown sockets are ignored. */
  unregister(socket: Selectable): void {
    this.#registered.get(socket)?.unsubscribe();
    this.#registered.delete(socket);
    this.#candidates.delete(socket);
  }

  /**
   * Resolves with the ready sockets and their events, waiting up to `timeoutSeconds` (forever when
   * undefined) for one; with an empty list on timeout.
   */
  async poll(timeoutSeconds?: number): Promise<Array<[Selectable, number]>> {
    this.#woken = false;
    let events = this.#collect();
    if (events.length > 0 || timeoutSeconds === 0) return events;
    const deadline = timeoutSeconds === undefined ? undefined : performance.now() + timeoutSeconds * 1000;
    while (events.length === 0 && !this.#woken) {
      const left = deadline === undefined ? undefined : deadline - performance.now();
      if (left !== undefined && left <= 0) break;
      await this.#waitForCandidate(left);
      events = this.#collect();
    }
    return events;
  }

  /** Ends a `poll` that is waiting, as if a socket were ready (the reactor's waker). */
  wakeUp(): void {
    this.#woken = true;
    this.#endWait();
  }

  #mayBeReady(socket: Selectable): void {
    this.#candidates.add(socket);
    this.#endWait();
  }

  #collect(): Array<[Selectable, number]> {
    const events: Array<[Selectable, number]> = [];
    this.#examined = this.#candidates.size;
    for (const socket of this.#candidates) {
      const registration = this.#registered.get(socket);
      const ready =
        registration === undefined
          ? 0
          : ((registration.mask & POLLIN && socket.readable() ? POLLIN : 0) |
            (registration.mask & POLLOUT && socket.writable() ? POLLOUT : 0));
      if (ready === 0) this.#candidates.delete(socket);
      else events.push([socket, ready]);
    }
    return events;
  }

  #waitForCandidate(timeoutMs: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      this.#resolveWait = resolve;
      if (timeoutMs !== undefined) this.#cancelTimer = setLongTimeout(this.#timedOut, timeoutMs);
    });
  }

  #endWait(): void {
    const resolve = this.#resolveWait;
    if (resolve === undefined) return;
    this.#resolveWait = undefined;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    resolve();
  }
}
