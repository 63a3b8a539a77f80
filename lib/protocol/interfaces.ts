// Chapters 04-05 (transports, protocols, factories). Tests: test/protocol/ (Protocol, the factories and the doubles implement these).
// The protocol layer's contracts, in one place. They are defined in lib/reactor/interfaces.ts,
// as Twisted keeps them in twisted.internet.interfaces, because the reactor's TCP code drives
// them; this file only points to them.
export type {
  IAddress,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorCore,
  IReactorTCP,
  IReactorTime,
  ITransport,
} from '../reactor/interfaces';
