// Chapter 05 (protocols and transports). Tests: test/protocol/protocol.test.ts.
import type { Failure } from '../defer/failure';
import type { IProtocol, IProtocolFactory, ITransport } from '../reactor/interfaces';

/**
 * The base class for a connection's protocol, as Twisted's `twisted.internet.protocol.Protocol`.
 * Implements IProtocol (see there for the contract): subclass it and override the event methods
 * you care about; the defaults do nothing.
 *
 * A protocol talks to the network only through `transport`, so a test can give it a
 * `StringTransport` (lib/protocol/testing.ts) instead of a socket.
 */
export class Protocol implements IProtocol {
  /**
   * The connection's transport, set by `makeConnection`. Every event method runs after it, so
   * subclasses use it without checking; it is `undefined` only before the connection is made.
   */
  transport!: ITransport;

  /**
   * The factory that built this protocol, set by `Factory.buildProtocol`; `undefined` for a
   * protocol made by hand. A subclass narrows its type with `declare factory: MyFactory`.
   */
  factory: IProtocolFactory | undefined = undefined;

  /** True from `makeConnection` until `connectionLost`. */
  connected = false;

  /**
   * See IProtocol.makeConnection: sets `connected` and `transport`, then calls `connectionMade`.
   * @param transport - the connection's transport.
   */
  makeConnection(transport: ITransport): void {
    this.connected = true;
    this.transport = transport;
    this.connectionMade();
  }

  /** See IProtocol.connectionMade. Does nothing: override it to greet the peer, start timers... */
  connectionMade(): void {}

  /**
   * See IProtocol.dataReceived. Does nothing: override it.
   * @param data - the bytes that arrived, cut anywhere in the stream.
   */
  dataReceived(data: Buffer): void {}

  /**
   * See IProtocol.connectionLost. Sets `connected` to false; an override should call
   * `super.connectionLost(reason)` to keep that flag right.
   * @param reason - `ConnectionDone` for a clean close, `ConnectionLost` otherwise.
   */
  connectionLost(reason: Failure): void {
    this.connected = false;
  }

  /** @returns a name for log lines about this protocol: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }
}
