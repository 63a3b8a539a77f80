// Chapter 11: the poetry proxy 1.0: fetches the poem from a server once, caches it, and serves
// it to every client after (tested in test/poetry/proxy.test.ts). Proxy 2.0 (chapter 14, succeed)
// and 3.0 (chapter 19, cancelling the upstream fetch) sit beside it as proxy-2.ts and proxy-3.ts.
import type { Deferred } from '../../defer/deferred';
import type { Failure } from '../../defer/failure';
import { maybeDeferred } from '../../defer/maybe-deferred';
import { reactor as defaultReactor } from '../../reactor/default';
import type { IReactorTCP } from '../../reactor/interfaces';
import { ServerFactory } from '../../protocol/factory';
import { Protocol } from '../../protocol/protocol';
import { getPoetry } from '../get-poetry';

/** Where a ProxyService fetches from and reports to. */
export interface ProxyServiceOptions {
  /** The reactor to connect with (default: the default reactor). */
  reactor?: IReactorTCP;
  /** Where 'Fetching poem from server.' and 'Using cached poem.' go (default console.log). */
  log?: (line: string) => void;
  /** Where a failed fetch is reported, one line each (default console.error). */
  logError?: (line: string) => void;
}

/**
 * Knows where the real poetry server is and remembers its poem once it has it. Proxy 1.0 caches
 * only a poem that arrived: until then every caller starts a fetch of its own, so clients that
 * come while the first fetch is under way each cost one more upstream connection.
 */
export class ProxyService {
  /** The cached poem, once a fetch has succeeded. */
  poem: string | undefined = undefined;
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
   * The poem: the cached one, as a plain string, or a new fetch from the server.
   * @returns the cached poem now, or a Deferred that fires with the fetched poem (and caches it)
   *   or fails as getPoetry does (ConnectionRefusedError, ConnectionLost...); a failure is not cached.
   */
  getPoem(): string | Deferred<string> {
    if (this.poem !== undefined) {
      this.#log('Using cached poem.');
      return this.poem;
    }
    this.#log('Fetching poem from server.');
    return getPoetry(this.host, this.port, this.#reactor).addCallbacks<string, never>(
      (poem) => this.setPoem(poem),
      (failure: Failure) => this.fetchFailed(failure),
    );
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
 * Serves the service's poem to each client: whether the service answers now or later, it gets
 * a Deferred from `maybeDeferred`, writes what arrives and closes the connection; a failed fetch
 * aborts it with nothing sent, so the client sees an error, not an empty poem.
 */
export class PoetryProxyProtocol extends Protocol {
  declare factory: PoetryProxyFactory;

  override connectionMade(): void {
    // Called as a method, so the service keeps its `this`.
    maybeDeferred(() => this.factory.service.getPoem())
      .addCallback((poem) => this.transport.write(poem))
      .addCallbacks(
        () => this.transport.loseConnection(),
        // No poem: a reset, not a clean close, which the client would take for an empty poem.
        () => this.transport.abortConnection(),
      );
  }
}

/** Makes a PoetryProxyProtocol per client, all asking one ProxyService. */
export class PoetryProxyFactory extends ServerFactory {
  override protocol = PoetryProxyProtocol;

  constructor(readonly service: ProxyService) {
    super();
  }
}
