// Chapters 12 and 13: the transform client: send a poem to the transform server, get a
// Deferred of the new poem (tested in test/poetry/transform-server.test.ts).
import { Deferred } from '../../defer/deferred';
import { Failure } from '../../defer/failure';
import { ClientFactory } from '../../protocol/factory';
import { NetstringReceiver } from '../../protocol/netstring-receiver';
import { reactor as defaultReactor } from '../../reactor/default';
import { ConnectionDone } from '../../reactor/errors';
import type { IConnector, IReactorTCP } from '../../reactor/interfaces';

/**
 * The transform server closed the connection without an answer: it has no such transform, the
 * transform failed, or the request was refused (too long). The server does not say which.
 */
export class TransformFailedError extends Error {
  override name = 'TransformFailedError';
}

/** Sends one request, `name.poem`, as a netstring on connecting; hands on the netstring that comes back. */
export class TransformClientProtocol extends NetstringReceiver {
  declare factory: TransformClientFactory;

  override connectionMade(): void {
    this.sendRequest(this.factory.xformName, this.factory.poem);
  }

  /**
   * Send the request.
   * @param xformName - the transform's name.
   * @param poem - the poem.
   */
  sendRequest(xformName: string, poem: string): void {
    this.sendString(`${xformName}.${poem}`);
  }

  /** @param data - the answer: the transformed poem. */
  override stringReceived(data: Buffer): void {
    this.transport.loseConnection();
    this.poemReceived(data.toString('utf8'));
  }

  /** The transformed poem arrived. */
  poemReceived(poem: string): void {
    this.factory.handlePoem(poem);
  }
}

/** Fires its Deferred once: with the transformed poem, or with why there is none. */
export class TransformClientFactory extends ClientFactory {
  override protocol = TransformClientProtocol;
  #deferred: Deferred<string> | undefined;

  /**
   * @param xformName - the transform to ask for.
   * @param poem - the poem to send.
   * @param deferred - fired with the answer, or the failure.
   */
  constructor(
    readonly xformName: string,
    readonly poem: string,
    deferred: Deferred<string>,
  ) {
    super();
    this.#deferred = deferred;
  }

  /** Fires the Deferred with the transformed poem (once). */
  handlePoem(poem: string): void {
    this.#take()?.callback(poem);
  }

  /** The connection ended before an answer (after one, this does nothing). */
  override clientConnectionLost(_connector: IConnector, reason: Failure): void {
    // A clean close with no answer is the server's way to refuse: say so, rather than "Connection done".
    const why = reason.check(ConnectionDone)
      ? new Failure(new TransformFailedError(`the transform server closed the connection without a poem (no transform \`${this.xformName}\`, or it failed)`))
      : reason;
    this.#take()?.errback(why);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.#take()?.errback(reason);
  }

  // The Deferred, the first time only, and not once it has fired (it was cancelled).
  #take(): Deferred<string> | undefined {
    const deferred = this.#deferred;
    this.#deferred = undefined;
    return deferred?.called ? undefined : deferred;
  }
}

/**
 * Transform a poem on the transform server at `host:port`.
 * @param host - the server's host.
 * @param port - the server's port.
 * @param xformName - the transform (`cummingsify`); must not contain a '.'.
 * @param poem - the poem.
 * @param reactor - the reactor to connect with (default: the default reactor); it must run.
 * @returns a Deferred that fires with the transformed poem, or fails with TransformFailedError
 *   (no answer), ConnectionRefusedError, ConnectionLost...; cancelling it drops the connection
 *   (CancelledError).
 * @throws TypeError when `xformName` is empty or contains a '.'.
 */
export function transformPoem(
  host: string,
  port: number,
  xformName: string,
  poem: string,
  reactor: IReactorTCP = defaultReactor,
): Deferred<string> {
  if (typeof xformName !== 'string' || xformName === '' || xformName.includes('.')) {
    throw new TypeError(`Expected \`xformName\` to be a transform name without a '.', got \`${String(xformName)}\` (${typeof xformName})`);
  }
  let connector: IConnector | undefined;
  const deferred = new Deferred<string>(() => connector?.disconnect());
  connector = reactor.connectTCP(host, port, new TransformClientFactory(xformName, poem, deferred));
  return deferred;
}

/** A transform server seen as a local object, as the original's `TransformProxy`: `xform(name, poem)`. */
export class TransformProxy {
  /**
   * @param host - the server's host.
   * @param port - the server's port.
   * @param reactor - the reactor to connect with (default: the default reactor).
   */
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reactor: IReactorTCP = defaultReactor,
  ) {}

  /** See `transformPoem`. */
  xform(xformName: string, poem: string): Deferred<string> {
    return transformPoem(this.host, this.port, xformName, poem, this.reactor);
  }
}
