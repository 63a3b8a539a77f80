// Chapter 12 (servers that outlive hostile clients), as twisted.protocols.policies: an idle timeout
// for a protocol and a limit on a server's connections (tested in test/protocol/policies.test.ts).
import type { Failure } from '../defer/failure';
import type { IAddress, IDelayedCall, IProtocol, IProtocolFactory, IReactorTime, ITransport } from '../reactor/interfaces';
import { ServerFactory } from './factory';
import { Protocol } from './protocol';

/** The classes `TimeoutMixin` can extend: any protocol class (its constructor takes no arguments). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base must accept any arguments
type ProtocolClass = abstract new (...args: any[]) => Protocol;

function checkPeriod(name: string, period: number | null): void {
  if (period === null) return;
  if (typeof period !== 'number' || !Number.isFinite(period) || period < 0) {
    throw new TypeError(`Expected \`${name}\` to be a number >= 0 or null, got \`${String(period)}\` (${typeof period})`);
  }
}

/**
 * Gives a protocol class one idle timeout, as Twisted's `TimeoutMixin`: `setTimeout(seconds)`
 * starts (or moves) it, `resetTimeout()` restarts the count after some meaningful input, and when
 * it runs out `timeoutConnection()` is called. Time comes from `clock`, which the protocol sets
 * (from its factory, say) before the first `setTimeout`, so tests drive it with a Clock.
 *
 * Unlike Twisted's, the default `timeoutConnection` aborts the connection: a peer that has gone
 * quiet may also have stopped reading, and `loseConnection` would wait for it forever.
 * @example class MyProtocol extends TimeoutMixin(Protocol) { ... }
 */
export function TimeoutMixin<TBase extends ProtocolClass>(Base: TBase) {
  abstract class Timeout extends Base {
    /** The period in seconds, or null when there is no timeout (Twisted's `timeOut`). */
    timeOut: number | null = null;
    /** Where the timeout is scheduled: set it before calling `setTimeout`. */
    clock: IReactorTime | undefined = undefined;
    #call: IDelayedCall | undefined = undefined; // the pending timeout, if any

    /**
     * Starts, moves or (with null) cancels the timeout.
     * @param period - seconds from now, or null for none.
     * @returns the previous period.
     * @throws TypeError when `period` is not a number >= 0 or null, or no `clock` is set.
     */
    setTimeout(period: number | null): number | null {
      checkPeriod('period', period);
      const previous = this.timeOut;
      this.timeOut = period;
      if (this.#call !== undefined) {
        if (period === null) {
          if (this.#call.active()) this.#call.cancel();
          this.#call = undefined;
        } else {
          this.#call.reset(period);
        }
      } else if (period !== null) {
        if (this.clock === undefined) throw new TypeError('Expected `clock` to be an IReactorTime, got `undefined` (undefined)');
        this.#call = this.clock.callLater(period, () => {
          this.#call = undefined;
          this.timeoutConnection();
        });
      }
      return previous;
    }

    /** Restarts the count from now; does nothing when there is no timeout or it has run out. */
    resetTimeout(): void {
      if (this.#call !== undefined && this.timeOut !== null) this.#call.reset(this.timeOut);
    }

    /** The timeout ran out. Aborts the connection: override it to do something else. */
    timeoutConnection(): void {
      this.transport.abortConnection();
    }
  }
  return Timeout;
}

/**
 * Stands between a transport and a protocol, as Twisted's `ProtocolWrapper`: the transport's
 * protocol on one side, the wrapped protocol's transport on the other, passing everything on.
 * Subclasses watch or change the traffic; the factory (a WrappingFactory) counts the connections.
 */
export class ProtocolWrapper extends Protocol implements ITransport {
  declare factory: WrappingFactory;

  /**
   * @param factory - the WrappingFactory that built it.
   * @param wrappedProtocol - the protocol that does the work.
   */
  constructor(factory: WrappingFactory, readonly wrappedProtocol: IProtocol) {
    super();
    this.factory = factory;
  }

  override logPrefix(): string {
    const wrapped = this.wrappedProtocol as { logPrefix?: () => string };
    return `${wrapped.logPrefix?.() ?? this.wrappedProtocol.constructor.name} (${this.constructor.name})`;
  }

  /** Registers with the factory, then connects the wrapped protocol to this wrapper. */
  override makeConnection(transport: ITransport): void {
    super.makeConnection(transport);
    this.factory.registerProtocol(this);
    this.wrappedProtocol.makeConnection(this);
  }

  override dataReceived(data: Buffer): void {
    this.wrappedProtocol.dataReceived(data);
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.factory.unregisterProtocol(this);
    this.wrappedProtocol.connectionLost(reason);
  }

  // The transport side: see ITransport.
  get disconnecting(): boolean {
    return this.transport.disconnecting;
  }
  write(data: Uint8Array | string): void {
    this.transport.write(data);
  }
  writeSequence(data: Iterable<Uint8Array | string>): void {
    this.transport.writeSequence(data);
  }
  loseConnection(): void {
    this.transport.loseConnection();
  }
  abortConnection(): void {
    this.transport.abortConnection();
  }
  getPeer(): IAddress {
    return this.transport.getPeer();
  }
  getHost(): IAddress {
    return this.transport.getHost();
  }
  pauseProducing(): void {
    this.transport.pauseProducing();
  }
  resumeProducing(): void {
    this.transport.resumeProducing();
  }
  stopProducing(): void {
    this.transport.stopProducing();
  }
}

/** A ProtocolWrapper class, as a WrappingFactory makes them. */
export type WrapperClass = new (factory: WrappingFactory, wrappedProtocol: IProtocol) => ProtocolWrapper;

/**
 * Wraps a factory and each protocol it builds in a ProtocolWrapper, and keeps the wrappers of
 * the open connections, as Twisted's `WrappingFactory`. Starting and stopping pass on too.
 */
export class WrappingFactory extends ServerFactory {
  /** The wrappers of the connections open now. */
  readonly protocols = new Set<ProtocolWrapper>();
  /** The wrapper class (Twisted's `WrappingFactory.protocol`): a subclass sets its own. */
  wrapperProtocol: WrapperClass = ProtocolWrapper;

  /** @param wrappedFactory - the factory that builds the protocols doing the work. */
  constructor(readonly wrappedFactory: IProtocolFactory) {
    super();
  }

  override logPrefix(): string {
    const wrapped = this.wrappedFactory as { logPrefix?: () => string };
    return `${wrapped.logPrefix?.() ?? this.wrappedFactory.constructor.name} (${this.constructor.name})`;
  }

  override doStart(): void {
    this.wrappedFactory.doStart();
    super.doStart();
  }

  override doStop(): void {
    this.wrappedFactory.doStop();
    super.doStop();
  }

  /** @returns the wrapped factory's protocol in a wrapper; null when that factory refuses. */
  override buildProtocol(addr: IAddress): IProtocol | null {
    const wrapped = this.wrappedFactory.buildProtocol(addr);
    return wrapped === null ? null : this.wrap(wrapped);
  }

  /** @returns `wrapped` in a new `wrapperProtocol`. */
  protected wrap(wrapped: IProtocol): ProtocolWrapper {
    return new this.wrapperProtocol(this, wrapped);
  }

  /** A wrapper's connection was made. */
  registerProtocol(protocol: ProtocolWrapper): void {
    this.protocols.add(protocol);
  }

  /** A wrapper's connection was lost. */
  unregisterProtocol(protocol: ProtocolWrapper): void {
    this.protocols.delete(protocol);
  }
}

/** Closes its connection as soon as it is made: what a connection over the limit gets. */
export class OverflowProtocol extends Protocol {
  override connectionMade(): void {
    this.transport.loseConnection();
  }
}

/** Options of `new LimitTotalConnectionsFactory()`. */
export interface LimitTotalConnectionsOptions {
  /** How many connections may be open at once (Twisted's `connectionLimit`); Infinity for no limit. */
  connectionLimit: number;
  /**
   * The protocol class a connection over the limit gets (it should close at once, perhaps after a
   * word to the peer); default OverflowProtocol, which closes it with nothing sent.
   */
  overflowProtocol?: new () => IProtocol;
}

/**
 * Limits how many connections a server has open at once, as Twisted's
 * `LimitTotalConnectionsFactory`, but wrapping any factory: up to the limit, connections get the
 * wrapped factory's protocol; past it, an `overflowProtocol` that closes them at once. Each
 * connection costs memory and a descriptor, so a flood of clients cannot exhaust the server.
 */
export class LimitTotalConnectionsFactory extends WrappingFactory {
  /** How many connections may be open at once. */
  readonly connectionLimit: number;
  readonly #overflowProtocol: new () => IProtocol;
  /** How many connections are open now, over-limit ones included until they close (Twisted's `connectionCount`). */
  connectionCount = 0;

  /**
   * @param wrappedFactory - the server's factory.
   * @param options - the limit, and what a connection over it gets.
   * @throws TypeError when `connectionLimit` is not an integer >= 1 or Infinity.
   */
  constructor(wrappedFactory: IProtocolFactory, options: LimitTotalConnectionsOptions) {
    super(wrappedFactory);
    const limit = options.connectionLimit;
    if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 1))) {
      throw new TypeError(`Expected \`connectionLimit\` to be an integer >= 1, got \`${String(limit)}\` (${typeof limit})`);
    }
    this.connectionLimit = limit;
    this.#overflowProtocol = options.overflowProtocol ?? OverflowProtocol;
  }

  /** @returns the wrapped factory's protocol, or an overflow protocol past the limit; both wrapped. */
  override buildProtocol(addr: IAddress): IProtocol | null {
    let wrapped: IProtocol | null;
    if (this.connectionCount < this.connectionLimit) {
      wrapped = this.wrappedFactory.buildProtocol(addr);
      if (wrapped === null) return null;
    } else {
      wrapped = new this.#overflowProtocol();
      (wrapped as { factory?: unknown }).factory = this;
    }
    // Counted from now, not from makeConnection: several may be built before the first is made.
    this.connectionCount += 1;
    return this.wrap(wrapped);
  }

  override unregisterProtocol(protocol: ProtocolWrapper): void {
    super.unregisterProtocol(protocol);
    this.connectionCount -= 1;
  }
}

/**
 * A ProtocolWrapper with an idle timeout, as Twisted's `TimeoutProtocol`: the timer starts when
 * the connection is made (or, with `idleFrom: 'firstWrite'`, when the protocol first writes) and
 * restarts whenever bytes arrive or the protocol writes; when it runs out, the connection is
 * aborted (the wrapped protocol sees `connectionLost`).
 *
 * Unlike Twisted's, bytes the transport has sent since the last look also count (when it tells
 * its `bufferSize`, as the reactor's TCP transport does): a client reading a long answer slowly
 * is not idle; one that has stopped reading is.
 */
export class TimeoutProtocol extends TimeoutMixin(ProtocolWrapper) {
  declare factory: TimeoutFactory;
  #started = false; // whether the timer has been started (it is started once)
  #queued = 0; // the transport's bufferSize at the last write or look

  override makeConnection(transport: ITransport): void {
    this.clock = this.factory.clock;
    super.makeConnection(transport);
    if (this.factory.idleFrom === 'connect') this.#touch();
  }

  override dataReceived(data: Buffer): void {
    this.resetTimeout();
    super.dataReceived(data);
  }

  override write(data: Uint8Array | string): void {
    this.#touch();
    super.write(data);
    this.#queued = this.#bufferSize();
  }

  override writeSequence(data: Iterable<Uint8Array | string>): void {
    this.#touch();
    super.writeSequence(data);
    this.#queued = this.#bufferSize();
  }

  override connectionLost(reason: Failure): void {
    this.setTimeout(null);
    super.connectionLost(reason);
  }

  /** Aborts the connection, unless bytes queued for the peer went out since the last look. */
  override timeoutConnection(): void {
    const queued = this.#bufferSize();
    if (queued > 0 && queued < this.#queued) {
      this.#queued = queued;
      this.setTimeout(this.factory.timeoutPeriod);
      return;
    }
    super.timeoutConnection();
  }

  // Bytes written and not yet sent, for transports that tell (0 for those that do not).
  #bufferSize(): number {
    const size = (this.transport as { bufferSize?: unknown }).bufferSize;
    return typeof size === 'number' ? size : 0;
  }

  // Starts the timer the first time, restarts it after; none once the connection is lost.
  #touch(): void {
    if (this.#started) {
      this.resetTimeout();
    } else if (this.connected) {
      this.#started = true;
      this.setTimeout(this.factory.timeoutPeriod);
    }
  }
}

/** Options of `new TimeoutFactory()`. */
export interface TimeoutFactoryOptions {
  /** Seconds a connection may stay idle (no bytes either way) before it is aborted. */
  timeoutPeriod: number;
  /** Where the timers are scheduled (the reactor, or a Clock in tests). */
  clock: IReactorTime;
  /**
   * When the count starts: 'connect' (the default, as Twisted's), or 'firstWrite' for a server
   * that answers only once it has the answer from elsewhere (the proxy): waiting for it is not
   * the client's idleness.
   */
  idleFrom?: 'connect' | 'firstWrite';
}

/** Wraps a factory's protocols in TimeoutProtocols, as Twisted's `TimeoutFactory`. */
export class TimeoutFactory extends WrappingFactory {
  /** Seconds a connection may stay idle. */
  readonly timeoutPeriod: number;
  /** Where the timers are scheduled. */
  readonly clock: IReactorTime;
  /** When a connection's count starts: see TimeoutFactoryOptions. */
  readonly idleFrom: 'connect' | 'firstWrite';

  /**
   * @param wrappedFactory - the server's factory.
   * @param options - the idle period and the clock.
   * @throws TypeError when `timeoutPeriod` is not a number > 0.
   */
  constructor(wrappedFactory: IProtocolFactory, options: TimeoutFactoryOptions) {
    super(wrappedFactory);
    const period = options.timeoutPeriod;
    if (typeof period !== 'number' || !(period > 0) || !Number.isFinite(period)) {
      throw new TypeError(`Expected \`timeoutPeriod\` to be a number > 0, got \`${String(period)}\` (${typeof period})`);
    }
    this.timeoutPeriod = period;
    this.clock = options.clock;
    this.idleFrom = options.idleFrom ?? 'connect';
  }

  override wrapperProtocol: WrapperClass = TimeoutProtocol;
}
