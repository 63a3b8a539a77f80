// Chapter 05 (protocols and their factories). Tests: test/protocol/factory.test.ts.
import type { Failure } from '../defer/failure';
import type { IAddress, IClientFactory, IConnector, IProtocol, IProtocolFactory } from '../reactor/interfaces';

/**
 * Makes a protocol for each connection, as Twisted's `twisted.internet.protocol.Factory`.
 * Implements IProtocolFactory (see there for the contract).
 *
 * Set `protocol` to the protocol class (in a subclass, `protocol = PoetryProtocol`, or on an
 * instance, or with `Factory.forProtocol(PoetryProtocol)`), and keep what the connections share
 * (a poem, a count of clients) on the factory: each protocol reaches it as `this.factory`.
 */
export class Factory implements IProtocolFactory {
  /** The class `buildProtocol` instantiates, with no arguments. */
  protocol?: new () => IProtocol;

  /** How many ports and connectors use this factory now: `doStart` adds one, `doStop` takes one. */
  numPorts = 0;

  /**
   * Make a factory of this class (with `args` for its constructor) whose `protocol` is `protocol`.
   * @param protocol - the protocol class to build.
   * @param args - arguments for the factory's constructor.
   * @returns the new factory.
   */
  static forProtocol<F extends Factory, A extends unknown[]>(
    this: new (...args: A) => F,
    protocol: new () => IProtocol,
    ...args: A
  ): F {
    const factory = new this(...args);
    factory.protocol = protocol;
    return factory;
  }

  /**
   * See IProtocolFactory.doStart. Calls `startFactory` when the first port or connector starts
   * using the factory; the reactor calls this, user code does not.
   */
  doStart(): void {
    if (this.numPorts === 0) this.startFactory();
    this.numPorts += 1;
  }

  /**
   * See IProtocolFactory.doStop. Calls `stopFactory` when the last port or connector stops using
   * the factory. An unbalanced call (no port left) does nothing, as in Twisted, rather than throw
   * in the middle of a shutdown.
   */
  doStop(): void {
    if (this.numPorts === 0) return;
    this.numPorts -= 1;
    if (this.numPorts === 0) this.stopFactory();
  }

  /** Called once before the factory starts serving (open files, connect to a database...). */
  startFactory(): void {}

  /** Called once after the last port or connector using the factory has stopped. */
  stopFactory(): void {}

  /**
   * See IProtocolFactory.buildProtocol: makes a `protocol` and sets its `factory` to this one.
   * Override it to refuse a connection (return null) or build protocols another way.
   * @param addr - the address of the other end.
   * @returns the new protocol.
   * @throws TypeError when `protocol` is not set.
   */
  buildProtocol(addr: IAddress): IProtocol | null {
    if (typeof this.protocol !== 'function') {
      throw new TypeError(`Expected \`protocol\` to be a protocol class, got \`${String(this.protocol)}\` (${typeof this.protocol})`);
    }
    const protocol = new this.protocol() as IProtocol & { factory?: IProtocolFactory };
    protocol.factory = this;
    return protocol;
  }

  /** @returns a name for log lines about this factory: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }
}

/** A factory for servers only, as Twisted's `ServerFactory`: a `Factory` that says what it is for. */
export class ServerFactory extends Factory {}

/**
 * A factory for client connections, as Twisted's `twisted.internet.protocol.ClientFactory`.
 * Implements IClientFactory (see there for the contract); its three methods do nothing by default:
 * override them to report a failed connection, or to reconnect with `connector.connect()`.
 */
export class ClientFactory extends Factory implements IClientFactory {
  /**
   * See IClientFactory.startedConnecting.
   * @param connector - the attempt; `connector.stopConnecting()` gives it up.
   */
  startedConnecting(connector: IConnector): void {}

  /**
   * See IClientFactory.clientConnectionFailed.
   * @param connector - the attempt that failed.
   * @param reason - why (`ConnectionRefusedError`, `ConnectTimeoutError`, `DNSLookupError`...).
   */
  clientConnectionFailed(connector: IConnector, reason: Failure): void {}

  /**
   * See IClientFactory.clientConnectionLost.
   * @param connector - the connector whose connection was lost.
   * @param reason - `ConnectionDone` for a clean close, `ConnectionLost` otherwise.
   */
  clientConnectionLost(connector: IConnector, reason: Failure): void {}
}
