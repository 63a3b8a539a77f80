// The reactor layer: the event loop, timed calls, TCP, and their test doubles (chapters 03-06, 15).
export { Clock } from './clock';
export { reactor } from './default';
export { DelayedCall } from './delayed-call';
export * from './errors';
export * from './interfaces';
export { ReactorBase, type ReadyEvents } from './base';
export { EpollReactor } from './epoll-reactor';
export { SelectReactor } from './select-reactor';
export { deferLater, LoopingCall } from './task';
// Twisted's class is tcp.Port; DESIGN calls what listenTCP returns a ListeningPort: both names.
export { Connection, tcpAddress } from './connection';
export { Port, Port as ListeningPort, ServerConnection } from './port';
export { Connector } from './client';
