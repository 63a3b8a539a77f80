// Every public name of the library, by layer. Inside lib/ and in notebooks, import from the
// layer's own files instead (tslab cannot resolve a folder to its index).
export * from './sockets/index';
export * from './blocking/index';
export * from './select/index';
export * from './timing/index';
export * from './models/index';
export * from './defer/index';
// Twisted has the same two names: defer.TimeoutError (a Deferred's addTimeout) and
// error.TimeoutError (a connection attempt); here the first keeps the name.
export { TimeoutError as ConnectTimeoutError } from './reactor/errors';
export {
  AlreadyCalled,
  AlreadyCancelled,
  CannotListenError,
  ConnectError,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  DNSLookupError,
  ReactorAlreadyRunning,
  ReactorNotRunning,
  UserError,
} from './reactor/errors';
export { Clock } from './reactor/clock';
export { reactor } from './reactor/default';
export { DelayedCall } from './reactor/delayed-call';
export type * from './reactor/interfaces';
export { SelectReactor } from './reactor/select-reactor';
export { deferLater, LoopingCall } from './reactor/task';
export { Connection, Connector, Port, Port as ListeningPort, ServerConnection, tcpAddress } from './reactor/tcp';
export * from './protocol/index';
export * from './application/index';
export * from './poetry/index';
