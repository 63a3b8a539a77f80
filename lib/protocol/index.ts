// Chapters 04-05, 12 and 15 (the protocol layer). Tests: test/protocol/. Re-exports only.
export type * from './interfaces';
export { Protocol } from './protocol';
export { ClientFactory, Factory, ServerFactory } from './factory';
export { LineReceiver } from './line-receiver';
export { NetstringReceiver } from './netstring-receiver';
export {
  LimitTotalConnectionsFactory,
  OverflowProtocol,
  ProtocolWrapper,
  TimeoutFactory,
  TimeoutMixin,
  TimeoutProtocol,
  WrappingFactory,
} from './policies';
export type { LimitTotalConnectionsOptions, TimeoutFactoryOptions, WrapperClass } from './policies';
export {
  FakeConnector,
  FakeListeningPort,
  MemoryReactor,
  StringTransport,
  StringTransportWithDisconnection,
} from './testing';
export type { ProducerState, RecordedTCPClient, RecordedTCPServer, StringTransportOptions } from './testing';
