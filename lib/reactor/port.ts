// Chapters 04-05 and 06 (servers): a listening TCP port and the connections it accepts (Twisted's
// tcp.Port and tcp.Server). Tests: test/reactor/tcp.test.ts.
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { describeError, logError, stackOf } from '../log/index';
import type { Address } from '../sockets/address';
import { SocketError, WouldBlockError } from '../sockets/errors';
import { NonBlockingServerSocket, type NonBlockingSocket } from '../sockets/nonblocking-socket';
import { buildProtocolOrLog, Connection, tcpAddress } from './connection';
import { CannotListenError, ConnectionDone } from './errors';
import type { IAddress, IListeningPort, IProtocol, IProtocolFactory, IReactorFDSet, IReactorTime, IReadDescriptor } from './interfaces';

/** A connection accepted by a listening Port. */
export class ServerConnection extends Connection {
  /** @internal Port calls this with the protocol its factory built. */
  static accept(reactor: IReactorFDSet & IReactorTime, socket: NonBlockingSocket, protocol: IProtocol): ServerConnection {
    const connection = new ServerConnection(reactor, socket);
    try {
      connection.startProtocol(protocol);
    } catch (error) {
      // Twisted's Port.doRead logs what makeConnection throws and goes on accepting. The port
      // must not fail for one connection: that connection alone is dropped (Twisted leaves it
      // open, half made; the course's servers drop the one bad client and serve the rest).
      logError(`Unhandled Error in ${protocol.constructor.name} connectionMade:\n${stackOf(error)}`);
      connection.abortConnection();
    }
    return connection;
  }
}

/**
 * A listening TCP port: accepts every waiting connection each time it is readable, and gives
 * each one a protocol from its factory. Implements IListeningPort.
 */
export class Port implements IListeningPort, IReadDescriptor {
  readonly #reactor: IReactorFDSet & IReactorTime;
  readonly #port: number;
  readonly #factory: IProtocolFactory;
  readonly #interface: string;
  readonly #backlog: number;
  #socket: NonBlockingServerSocket | undefined;
  #connected = false;
  #failed: (error: Error) => void = () => {};
  readonly #failure = new Promise<Error>((resolve) => {
    this.#failed = resolve;
  });

  constructor(reactor: IReactorFDSet & IReactorTime, port: number, factory: IProtocolFactory, iface: string, backlog: number) {
    this.#reactor = reactor;
    this.#port = port;
    this.#factory = factory;
    this.#interface = iface;
    this.#backlog = backlog;
  }

  /**
   * Binds and listens, synchronously as in Twisted.
   * @throws CannotListenError when the port is taken or the interface cannot be bound.
   */
  startListening(): void {
    try {
      this.#socket = NonBlockingServerSocket.bind(this.#interface, this.#port, this.#backlog);
    } catch (error) {
      throw new CannotListenError(this.#interface, this.#port, error instanceof Error ? error : new Error(describeError(error)));
    }
    this.#connected = true;
    this.#factory.doStart();
    this.#reactor.addReader(this);
  }

  fileno(): NonBlockingServerSocket {
    if (this.#socket === undefined) throw new Error('the port is not listening');
    return this.#socket;
  }

  /**
   * Accepts every connection waiting now (a burst of clients is taken in one turn). As Twisted's
   * Port.doRead: an error that concerns one connection or a passing shortage (ECONNABORTED,
   * EMFILE, ...) is logged and the port goes on listening; only a failure of the listening
   * socket itself closes the port, and `whenFailed()` reports it.
   */
  doRead(): Error | undefined {
    const socket = this.fileno();
    while (socket.readable()) {
      let accepted: NonBlockingSocket;
      let peer: Address;
      try {
        [accepted, peer] = socket.accept();
      } catch (error) {
        if (error instanceof WouldBlockError) return undefined;
        const code = error instanceof SocketError ? error.code : '';
        if (ACCEPT_AGAIN_LATER.has(code)) {
          logError(`Could not accept new connection (${code}) on ${this.logPrefix()}`);
          return undefined;
        }
        logError(`Could not accept on ${this.logPrefix()}, no longer listening: ${describeError(error)}`);
        const reason = error instanceof Error ? error : new Error(describeError(error));
        this.#failed(reason);
        return reason;
      }
      const protocol = buildProtocolOrLog(this.#factory, tcpAddress(...peer));
      if (protocol === null) accepted.close();
      else ServerConnection.accept(this.#reactor, accepted, protocol);
    }
    return undefined;
  }

  /** See IListeningPort.getHost. */
  getHost(): IAddress {
    return tcpAddress(...this.fileno().getsockname());
  }

  /**
   * Resolves once connections are accepted. Node listens asynchronously, a turn of the event
   * loop after `listenTCP` has checked the address; print a port for others after this.
   */
  whenListening(): Promise<void> {
    return this.fileno().whenListening();
  }

  /**
   * Resolves with the error if the port stops listening on its own (its socket failed), never
   * after `stopListening()` or the reactor's shutdown. Ours, not Twisted's: a server program
   * waits on it so that it never sits, or exits 0, with nothing left to serve.
   */
  whenFailed(): Promise<Error> {
    return this.#failure;
  }

  /** See IListeningPort.stopListening: the Deferred fires once the port is closed. */
  stopListening(): Deferred<void> {
    if (this.#connected) {
      this.#reactor.removeReader(this);
      this.connectionLost(new Failure(new ConnectionDone('Listening stopped')));
    }
    const done = new Deferred<void>();
    done.callback(undefined);
    return done;
  }

  /** Closes the listening socket and tells the factory (the reactor calls this at shutdown). */
  connectionLost(_reason: Failure): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#socket?.close();
    this.#factory.doStop();
  }

  logPrefix(): string {
    return `${this.#factory.constructor.name} (TCP ${this.#interface}:${this.#socket?.getsockname()[1] ?? this.#port})`;
  }
}

// accept(2) errors after which the listening socket is still good (Twisted's list): one
// connection died while it waited, or descriptors or memory ran short for a moment. The next
// readiness event tries again. (Node's libuv meets EMFILE first and sheds the connections it
// cannot take, so they rarely reach us.)
const ACCEPT_AGAIN_LATER = new Set(['ECONNABORTED', 'EPERM', 'EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);
