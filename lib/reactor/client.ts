// Chapters 04-05: the client side of TCP (Twisted's tcp.Client and tcp.Connector): a connection
// being made, and the connector that makes it, reports to the factory and can connect again.
// Tests: test/reactor/tcp.test.ts.
import { Failure } from '../defer/failure';
import { describeError } from '../log/index';
import { SocketError } from '../sockets/errors';
import { NonBlockingSocket } from '../sockets/nonblocking-socket';
import { buildProtocolOrLog, Connection, tcpAddress } from './connection';
import { ConnectError, ConnectionRefusedError, ConnectTimeoutError, DNSLookupError, UserError } from './errors';
import type { IAddress, IClientFactory, IConnector, IDelayedCall, IReactorFDSet, IReactorTime } from './interfaces';

/** Maps a socket error to Twisted's connection-failure errors. */
function connectFailure(error: unknown, host: string, port: number): Error {
  const code = error instanceof SocketError ? error.code : '';
  const where = `${host}:${port}`;
  if (code === 'ECONNREFUSED') return new ConnectionRefusedError(`Connection was refused by other side: ${where}.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DNSLookupError(`DNS lookup failed: ${host}.`);
  return new ConnectError(`An error occurred while connecting to ${where}: ${describeError(error)}.`);
}

/**
 * A client connection being made, then made: writable means connected (or failed, with the
 * error on the socket), as a non-blocking connect(2).
 */
class ClientConnection extends Connection {
  readonly #connector: Connector;
  #connecting = true;
  #timeout: IDelayedCall | undefined;

  constructor(reactor: IReactorFDSet & IReactorTime, connector: Connector, timeoutSeconds: number) {
    const [host, port] = connector.destination;
    super(reactor, NonBlockingSocket.connect(host, port));
    this.#connector = connector;
    this.#timeout = reactor.callLater(timeoutSeconds, () => this.failIfNotConnected(new ConnectTimeoutError(`User timeout caused connection failure.`)));
    reactor.addWriter(this);
  }

  override doWrite(): Error | undefined {
    if (!this.#connecting) return super.doWrite();
    const error = this.socket.error;
    if (error !== undefined) {
      this.failIfNotConnected(connectFailure(error, ...this.#connector.destination));
      return undefined;
    }
    if (!this.socket.connected) return undefined;
    this.#connecting = false;
    this.#cancelTimeout();
    this.reactor.removeWriter(this);
    this.#connector.connected();
    const protocol = buildProtocolOrLog(this.#connector.factory, this.getPeer());
    if (protocol === null) {
      this.loseConnection();
      return undefined;
    }
    this.startProtocol(protocol);
    return undefined;
  }

  /** Gives up the attempt (timeout, refusal, `stopConnecting`) and tells the factory. */
  failIfNotConnected(error: Error): void {
    if (!this.#connecting) return;
    this.#connecting = false;
    this.#cancelTimeout();
    this.reactor.removeWriter(this);
    this.reactor.removeReader(this);
    this.socket.abort();
    this.#connector.connectionFailed(new Failure(error));
  }

  get connecting(): boolean {
    return this.#connecting;
  }

  override connectionLost(reason: Failure): void {
    if (this.#connecting) {
      this.failIfNotConnected(reason.value instanceof Error ? reason.value : new Error(reason.getErrorMessage()));
      return;
    }
    if (this.disconnected) return;
    super.connectionLost(reason);
    this.#connector.connectionLost(reason);
  }

  #cancelTimeout(): void {
    if (this.#timeout?.active()) this.#timeout.cancel();
    this.#timeout = undefined;
  }
}

/**
 * A client's connection attempt, as Twisted's `Connector`: tells the factory when it starts
 * connecting, when the connection fails or is lost, and can connect again. Implements IConnector.
 */
export class Connector implements IConnector {
  readonly #reactor: IReactorFDSet & IReactorTime;
  readonly destination: [string, number];
  readonly factory: IClientFactory;
  readonly #timeoutSeconds: number;
  #connection: ClientConnection | undefined;
  #state: 'disconnected' | 'connecting' | 'connected' = 'disconnected';
  #factoryStarted = false;

  constructor(reactor: IReactorFDSet & IReactorTime, host: string, port: number, factory: IClientFactory, timeoutSeconds: number) {
    if (!(typeof timeoutSeconds === 'number' && timeoutSeconds > 0)) {
      throw new TypeError(`Expected \`timeoutSeconds\` to be a number > 0, got \`${timeoutSeconds}\` (${typeof timeoutSeconds})`);
    }
    this.#reactor = reactor;
    this.destination = [host, port];
    this.factory = factory;
    this.#timeoutSeconds = timeoutSeconds;
  }

  /** See IConnector.getDestination. */
  getDestination(): IAddress {
    return tcpAddress(...this.destination);
  }

  /** See IConnector.connect. @throws Error when already connecting or connected. */
  connect(): void {
    if (this.#state !== 'disconnected') throw new Error(`Can't connect in this state: ${this.#state}`);
    this.#state = 'connecting';
    if (!this.#factoryStarted) {
      this.factory.doStart();
      this.#factoryStarted = true;
    }
    this.#connection = new ClientConnection(this.#reactor, this, this.#timeoutSeconds);
    this.factory.startedConnecting(this);
  }

  /** See IConnector.stopConnecting. @throws Error when not connecting. */
  stopConnecting(): void {
    if (this.#state !== 'connecting' || this.#connection === undefined) throw new Error("We're not trying to connect");
    this.#connection.failIfNotConnected(new UserError('User aborted connection.'));
  }

  /** See IConnector.disconnect: stops connecting, or drops the connection. */
  disconnect(): void {
    if (this.#state === 'connecting') this.stopConnecting();
    else if (this.#state === 'connected') this.#connection?.loseConnection();
  }

  /** @internal The connection failed to be made. */
  connectionFailed(reason: Failure): void {
    this.#connection = undefined;
    this.#state = 'disconnected';
    this.factory.clientConnectionFailed(this, reason);
    this.#stopFactoryIfIdle();
  }

  /** @internal The connection was made, then lost. */
  connectionLost(reason: Failure): void {
    this.#connection = undefined;
    this.#state = 'disconnected';
    this.factory.clientConnectionLost(this, reason);
    this.#stopFactoryIfIdle();
  }

  /** @internal The connection is made. */
  connected(): void {
    this.#state = 'connected';
  }

  // As Twisted: the factory stops unless clientConnectionFailed/Lost reconnected.
  #stopFactoryIfIdle(): void {
    if (this.#state === 'disconnected' && this.#factoryStarted) {
      this.#factoryStarted = false;
      this.factory.doStop();
    }
  }
}
