// The reactor layer: the event loop, timed calls, TCP, and their test doubles (chapters 03-06, 15).
export { Clock } from './clock';
export { reactor } from './default';
export { DelayedCall } from './delayed-call';
export * from './errors';
export type * from './interfaces';
export { SelectReactor } from './select-reactor';
export { deferLater, LoopingCall } from './task';
export { Connection, Connector, Port, ServerConnection, tcpAddress, type TCPReactor } from './tcp';
