// Chapter 16: TCPServer, as twisted.application.internet.TCPServer: a service that listens on a
// port while it runs (tested in test/application/internet.test.ts).
import type { Deferred } from '../defer/deferred';
import { reactor as defaultReactor } from '../reactor/default';
import type { IListeningPort, IProtocolFactory, IReactorTCP } from '../reactor/interfaces';
import { Service } from './service';

/** TCPServer's options: `listenTCP`'s, and the reactor to listen with. */
export interface TCPServerOptions {
  /** The address to listen on (default 127.0.0.1, as `listenTCP`'s). */
  interface?: string;
  backlog?: number;
  /** Default: the global reactor, looked up when the service starts, as Twisted does. */
  reactor?: IReactorTCP;
}

/**
 * Serves TCP clients while running: `listenTCP(port, factory, ...)` when it starts (or in
 * `privilegedStartService`, which comes first when a program starts a whole tree), and
 * `stopListening()` when it stops. Stopping closes the port only: connections under way go on,
 * and a service that must wait for them says so in its own `stopService`.
 */
export class TCPServer extends Service {
  readonly #reactor: IReactorTCP | undefined;
  #port: IListeningPort | undefined;

  /**
   * @param port - the port number (0: a free one, see `getPort().getHost()`).
   * @param factory - builds a protocol for each client.
   */
  constructor(
    readonly port: number,
    readonly factory: IProtocolFactory,
    readonly options: TCPServerOptions = {},
  ) {
    super();
    this.#reactor = options.reactor;
  }

  /** Listens now. @throws CannotListenError when the port is taken. */
  override privilegedStartService(): void {
    super.privilegedStartService();
    this.#port = this.#listen();
  }

  /** Listens, unless `privilegedStartService` did. @throws CannotListenError */
  override startService(): void {
    super.startService();
    if (this.#port === undefined) this.#port = this.#listen();
  }

  /** @returns the port's `stopListening()` Deferred, or nothing when it was not listening. */
  override stopService(): Deferred<void> | void {
    super.stopService();
    const port = this.#port;
    if (port === undefined) return;
    this.#port = undefined;
    return port.stopListening();
  }

  /** The listening port while the service runs (Twisted's `_getPort` result), else undefined. */
  getPort(): IListeningPort | undefined {
    return this.#port;
  }

  #listen(): IListeningPort {
    const { interface: iface, backlog } = this.options;
    return (this.#reactor ?? defaultReactor).listenTCP(this.port, this.factory, { interface: iface, backlog });
  }
}
