// Chapter 19: the poetry proxy 3.0 (tested in test/poetry/proxy-2-3.test.ts). As 2.0 (proxy-2.ts),
// but the clients that come during a fetch share it, and a client that goes away cancels its
// interest: when no client is left waiting, the upstream fetch is cancelled. `diff proxy-2.ts
// proxy-3.ts` is the lesson.
import { Deferred } from '../../defer/deferred';
import { CancelledError } from '../../defer/errors';
import type { Failure } from '../../defer/failure';
import { succeed } from '../../defer/maybe-deferred';
import { reactor as defaultReactor } from '../../reactor/default';
import type { IReactorTCP } from '../../reactor/interfaces';
import { ServerFactory } from '../../protocol/factory';
import { Protocol } from '../../protocol/protocol';
import { getPoetry } from '../get-poetry';

/** Where a ProxyService fetches from and reports to. */
export interface ProxyServiceOptions {
  /** The reactor to connect with (default: the default reactor). */
  reactor?: IReactorTCP;
  /** Where the service's lines ('Fetching poem from server.'...) go (default console.log). */
  log?: (line: string) => void;
  /** Where a failed fetch is reported, one line each (default console.error). */
  logError?: (line: string) => void;
}

/** A fetch from the poetry server, and the clients' Deferreds waiting for it. */
interface Fetch {
  readonly upstream: Deferred<string>;
  readonly waiting: Set<Deferred<string>>;
}

/**
 * Knows where the real poetry server is and remembers its poem once it has it. Clients that come
 * while a fetch is under way wait for that fetch instead of starting one each. Each client gets a
 * Deferred of its own, so cancelling it withdraws only that client; the fetch is cancelled when
 * the last one waiting for it withdraws.
 */
export class ProxyService {
  /** The cached poem, once a fetch has succeeded. */
  poem: string | undefined = undefined;
  #fetch: Fetch | undefined = undefined; // the fetch under way, if any
  readonly #reactor: IReactorTCP;
  readonly #log: (line: string) => void;
  readonly #logError: (line: string) => void;

  /**
   * @param host - the poetry server's host.
   * @param port - the poetry server's port.
   */
  constructor(readonly host: string, readonly port: number, options: ProxyServiceOptions = {}) {
    this.#reactor = options.reactor ?? defaultReactor;
    this.#log = options.log ?? ((line) => console.log(line));
    this.#logError = options.logError ?? ((line) => console.error(line));
  }

  /**
   * The poem, always as a Deferred: the cached one in a Deferred that has already fired, or
   * one that waits for the fetch under way, started now if there is none.
   * @returns a Deferred of this caller's own that fires with the poem (a fetched one is cached
   *   first), or fails as getPoetry does (ConnectionRefusedError, ConnectionLost...); a failure
   *   is not cached. Cancelling it withdraws this caller (CancelledError), and cancels the fetch
   *   when no other caller waits for it.
   */
  getPoem(): Deferred<string> {
    if (this.poem !== undefined) {
      this.#log('Using cached poem.');
      return succeed(this.poem);
    }
    if (this.#fetch) this.#log('Waiting for the poem being fetched.');
    const fetch = this.#fetch ?? this.#startFetch();
    // Not the upstream Deferred itself: a caller's callbacks would change what the next one gets.
    const waiter: Deferred<string> = new Deferred<string>(() => this.#withdraw(fetch, waiter));
    fetch.waiting.add(waiter);
    return waiter;
  }

  /** How many callers wait for the fetch under way (0 when there is none). */
  get waiting(): number {
    return this.#fetch?.waiting.size ?? 0;
  }

  #startFetch(): Fetch {
    this.#log('Fetching poem from server.');
    const fetch: Fetch = { upstream: getPoetry(this.host, this.port, this.#reactor), waiting: new Set() };
    this.#fetch = fetch;
    // Fire a copy of the list: a waiter's callbacks may withdraw another waiter.
    const finish = (): Deferred<string>[] => {
      if (this.#fetch === fetch) this.#fetch = undefined;
      const waiting = [...fetch.waiting];
      fetch.waiting.clear();
      return waiting;
    };
    fetch.upstream.addCallbacks(
      (poem) => {
        this.setPoem(poem);
        for (const waiter of finish()) waiter.callback(poem);
      },
      (failure: Failure) => {
        // Each waiter gets the failure; the fetch's own chain ends here (a cancelled one has none).
        if (!failure.check(CancelledError)) this.fetchFailed(failure);
        for (const waiter of finish()) waiter.errback(failure);
      },
    );
    return fetch;
  }

  // The canceller of a waiter's Deferred: the caller has gone.
  #withdraw(fetch: Fetch, waiter: Deferred<string>): void {
    fetch.waiting.delete(waiter);
    if (fetch.waiting.size > 0 || this.#fetch !== fetch) return;
    this.#log('Cancelling poem download.');
    this.#fetch = undefined;
    fetch.upstream.cancel();
  }

  /**
   * Reports a failed fetch (one line) and passes the failure on to the caller.
   * @returns the failure, so it goes on down the errback chain.
   */
  fetchFailed(failure: Failure): Failure {
    this.#logError(`Could not fetch poem from ${this.host}:${this.port}: ${failure.getErrorMessage()}`);
    return failure;
  }

  /**
   * Caches `poem` (the last fetch to finish wins; they are the same poem).
   * @returns the poem, so it goes on down the callback chain.
   */
  setPoem(poem: string): string {
    this.poem = poem;
    return poem;
  }
}

/**
 * Serves the service's poem to each client, as in 2.0, and keeps the Deferred: when the client
 * goes away before its poem has come, cancelling it tells the service nobody waits here any more.
 */
export class PoetryProxyProtocol extends Protocol {
  declare factory: PoetryProxyFactory;
  #deferred: Deferred<unknown> | undefined; // this client's poem, from connectionMade on

  override connectionMade(): void {
    this.#deferred = this.factory.service
      .getPoem()
      .addCallback((poem) => this.transport.write(poem))
      .addCallbacks(
        () => this.transport.loseConnection(),
        // No poem: a reset, not a clean close, which the client would take for an empty poem.
        () => this.transport.abortConnection(),
      );
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    // Does nothing once the poem has been served (a fired Deferred ignores cancel).
    this.#deferred?.cancel();
    this.#deferred = undefined;
  }
}

/** Makes a PoetryProxyProtocol per client, all asking one ProxyService. */
export class PoetryProxyFactory extends ServerFactory {
  override protocol = PoetryProxyProtocol;

  constructor(readonly service: ProxyService) {
    super();
  }
}
