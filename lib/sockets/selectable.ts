// Chapter 02: what select() and the poller wait on (tested in test/sockets/select.test.ts).

/**
 * Something whose readiness can be waited for: a non-blocking socket or server socket.
 * `readable`/`writable` say what a call would do now; listeners hear of every change that may
 * have made it ready, so waiting costs nothing while nothing happens.
 */
export abstract class Selectable {
  // Nearly every socket has one listener (its poller's): a field, and a Set only for more.
  #listener: (() => void) | undefined;
  #others: Set<() => void> | undefined;

  /** True when `recv` (or `accept`) would not throw `WouldBlockError` now. */
  abstract readable(): boolean;

  /** True when `send` would take at least one byte now (or report an error). */
  abstract writable(): boolean;

  /** Calls `listener` whenever this may have become readable or writable. Returns the unsubscriber. */
  onReadiness(listener: () => void): () => void {
    if (this.#listener === undefined && !this.#others?.has(listener)) this.#listener = listener;
    else if (this.#listener !== listener) (this.#others ??= new Set()).add(listener);
    return () => {
      if (this.#listener === listener) this.#listener = undefined;
      else this.#others?.delete(listener);
    };
  }

  /** Tells the listeners that the readiness may have changed. */
  protected notify(): void {
    this.#listener?.();
    if (this.#others !== undefined) for (const listener of this.#others) listener();
  }
}
