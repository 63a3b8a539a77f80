// Chapters 08 and 19: the poetry client's protocol and factory, and getPoetry returning a
// Deferred (client 4.0's shape, with cancellation); every poem bounded in size and, if asked, in
// waiting (tested in test/poetry/servers.test.ts and test/poetry/tested-poetry.test.ts).
import { constants } from 'node:buffer';
import { type PoemLimits, poemLimits, PoemTooLongError } from '../blocking/poem-limits';
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { reactor as defaultReactor } from '../reactor/default';
import { ConnectionDone } from '../reactor/errors';
import type { IConnector, IDelayedCall, IReactorTCP, IReactorTime } from '../reactor/interfaces';
import { Protocol } from '../protocol/protocol';
import { ClientFactory } from '../protocol/factory';
import { formatAddress } from '../sockets/address';
import { SocketTimeoutError } from '../sockets/errors';

/** Options of `PoetryClientFactory`: the limits, and the clock the idle timeout runs on. */
export interface PoetryClientOptions extends PoemLimits {
  /** Schedules the idle timeout; needed when `timeout` is given. */
  clock?: IReactorTime;
}

/**
 * Collects a poem: every byte until the server closes the connection. More than the factory's
 * `maxBytes`, or no byte for its `timeout`, fails the poem and aborts the connection.
 */
export class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  #chunks: Buffer[] = [];
  #size = 0;
  // Fires after `timeout` seconds without a byte; reset by each one.
  #idle: IDelayedCall | undefined;
  // True once this side gave up the poem: what the connection does then no longer matters.
  #gaveUp = false;

  override connectionMade(): void {
    const { clock, timeout } = this.factory;
    if (clock !== undefined && timeout !== null) {
      this.#idle = clock.callLater(timeout, () => this.#giveUp(new SocketTimeoutError(`recv ETIMEDOUT: nothing from ${this.#peer()} for ${timeout} s`, 'recv')));
    }
  }

  override dataReceived(data: Buffer): void {
    if (this.#gaveUp) return;
    this.#size += data.length;
    if (this.#size > this.factory.maxBytes) return this.#giveUp(new PoemTooLongError(this.#peer(), this.factory.maxBytes));
    this.#chunks.push(data);
    if (this.factory.timeout !== null) this.#idle?.reset(this.factory.timeout);
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.#stopIdle();
    if (this.#gaveUp) return;
    // A clean close ends the poem; a reset or abort means it may be cut short.
    if (reason.check(ConnectionDone)) this.poemReceived(Buffer.concat(this.#chunks).toString('utf8'));
    else this.factory.poemFailed(reason);
  }

  /** The whole poem arrived. */
  poemReceived(poem: string): void {
    this.factory.poemFinished(poem);
  }

  // Fails the poem with `error`, forgets what arrived, and drops the connection at once.
  #giveUp(error: Error): void {
    this.#gaveUp = true;
    this.#chunks = [];
    this.#stopIdle();
    this.factory.poemFailed(new Failure(error));
    this.transport.abortConnection();
  }

  #stopIdle(): void {
    if (this.#idle?.active()) this.#idle.cancel();
    this.#idle = undefined;
  }

  #peer(): string {
    const { host, port } = this.transport.getPeer();
    return formatAddress([host, port]);
  }
}

/** Fires its Deferred once: with the poem, or with why there is none. */
export class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol;
  /** Bytes a protocol accepts for the poem (default MAX_BYTES, 16 MiB). */
  readonly maxBytes: number;
  /** Seconds a protocol waits for the next byte; null: forever. */
  readonly timeout: number | null;
  /** What the idle timeout is scheduled on. */
  readonly clock: IReactorTime | undefined;
  #deferred: Deferred<string> | undefined;

  /**
   * @param deferred - fired with the poem or the failure.
   * @param options - limits; see PoetryClientOptions.
   * @throws TypeError when a limit is malformed, or `timeout` is given without a `clock`.
   */
  constructor(deferred: Deferred<string>, options: PoetryClientOptions = {}) {
    super();
    const { maxBytes, timeout } = poemLimits(options);
    // The poem becomes a string: no more bytes than a string can hold (about 512 MiB).
    if (maxBytes > constants.MAX_STRING_LENGTH) {
      throw new TypeError(`Expected \`maxBytes\` to be at most ${constants.MAX_STRING_LENGTH}, got \`${maxBytes}\` (number)`);
    }
    if (timeout !== null && options.clock === undefined) {
      throw new TypeError('Expected `clock` (an IReactorTime) when `timeout` is given, got `undefined` (undefined)');
    }
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.clock = options.clock;
    this.#deferred = deferred;
  }

  /** Fires the Deferred with the poem (once). */
  poemFinished(poem: string): void {
    this.#take()?.callback(poem);
  }

  /** Fires the Deferred with the failure (once). */
  poemFailed(reason: Failure): void {
    this.#take()?.errback(reason);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.poemFailed(reason);
  }

  // The Deferred, the first time only, and not once it has fired (it was cancelled).
  #take(): Deferred<string> | undefined {
    const deferred = this.#deferred;
    this.#deferred = undefined;
    return deferred?.called ? undefined : deferred;
  }
}

/**
 * Downloads a poem from `host:port` with the reactor.
 * @param reactor - the reactor to connect with (default: the default reactor); it must run for
 *   anything to happen. With `limits.timeout` it must also provide IReactorTime.
 * @param limits - bytes accepted (default 16 MiB) and seconds to wait for the connection and
 *   then for each next byte (default: 30 s to connect, then forever).
 * @returns a Deferred that fires with the poem, or fails with ConnectionRefusedError,
 *   ConnectionLost, TimeoutError (connecting), SocketTimeoutError (idle), PoemTooLongError...;
 *   cancelling it drops the connection (CancelledError).
 * @throws TypeError when a limit is malformed.
 */
export function getPoetry(host: string, port: number, reactor: IReactorTCP = defaultReactor, limits: PoemLimits = {}): Deferred<string> {
  let connector: IConnector | undefined;
  const deferred = new Deferred<string>(() => connector?.disconnect());
  const factory = new PoetryClientFactory(deferred, { ...limits, clock: isReactorTime(reactor) ? reactor : undefined });
  connector = reactor.connectTCP(host, port, factory, limits.timeout ?? undefined);
  return deferred;
}

function isReactorTime(reactor: object): reactor is IReactorTime {
  return typeof (reactor as Partial<IReactorTime>).callLater === 'function';
}
