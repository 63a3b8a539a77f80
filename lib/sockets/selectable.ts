// Chapter 02: what select() and the poller wait on (tested in test/sockets/select.test.ts).

/**
 * Something whose readiness can be waited for: a non-blocking socket or server socket.
 * `readable`/`writable` say what a call would do now; listeners hear of every change that may
 * have made it ready, so waiting costs nothing while nothing happens.
 */
export abstract class Selectable {
  readonly #listeners = new Set<() => void>();

  /** True when `recv` (or `accept`) would not throw `WouldBlockError` now. */
  abstract readable(): boolean;

  /** True when `send` would take at least one byte now (or report an error). */
  abstract writable(): boolean;

  /** Calls `listener` whenever this may have become readable or writable. Returns the unsubscriber. */
  onReadiness(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the listeners that the readiness may have changed. */
  protected notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
