// Minimal protocols and factories for testing the reactor's TCP without lib/protocol, and a
// dirty-reactor check in the spirit of trial's.
import { expect } from 'vitest';
import type { Failure } from '../../lib/defer/failure';
import type { IAddress, IClientFactory, IConnector, IProtocol, ITransport } from '../../lib/reactor/interfaces';
import type { ReactorBase } from '../../lib/reactor/base';
import { EpollReactor } from '../../lib/reactor/epoll-reactor';
import { SelectReactor } from '../../lib/reactor/select-reactor';

/** Both reactors, named, for `describe.each`: every reactor test runs against each. */
export const REACTORS: Array<[string, new () => ReactorBase]> = [
  ['EpollReactor', EpollReactor],
  ['SelectReactor', SelectReactor],
];

/** Records what happens to one connection. */
export class Recorder implements IProtocol {
  transport: ITransport | undefined;
  readonly events: string[] = [];
  readonly received: Buffer[] = [];
  reason: Failure | undefined;
  onData: ((data: Buffer) => void) | undefined;
  onMade: (() => void) | undefined;
  onLost: (() => void) | undefined;

  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.connectionMade();
  }
  connectionMade(): void {
    this.events.push('made');
    this.onMade?.();
  }
  dataReceived(data: Buffer): void {
    this.received.push(data);
    this.onData?.(data);
  }
  connectionLost(reason: Failure): void {
    this.events.push(`lost ${reason.value instanceof Error ? reason.value.name : String(reason.value)}`);
    this.reason = reason;
    this.onLost?.();
  }
  get data(): Buffer {
    return Buffer.concat(this.received);
  }
}

/** A factory that builds protocols with `make` and records the factory events. */
export class RecordingFactory<P extends IProtocol> implements IClientFactory {
  readonly events: string[] = [];
  readonly protocols: P[] = [];
  failure: Failure | undefined;
  constructor(readonly make: (addr: IAddress) => P) {}
  buildProtocol(addr: IAddress): P {
    const protocol = this.make(addr);
    this.protocols.push(protocol);
    return protocol;
  }
  doStart(): void {
    this.events.push('start');
  }
  doStop(): void {
    this.events.push('stop');
  }
  startedConnecting(_connector: IConnector): void {
    this.events.push('startedConnecting');
  }
  clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.events.push(`failed ${(reason.value as Error).name}`);
    this.failure = reason;
  }
  clientConnectionLost(_connector: IConnector, reason: Failure): void {
    this.events.push(`lost ${(reason.value as Error).name}`);
  }
}

/** Trial's dirty-reactor check: nothing may be left watched or scheduled after a test. */
export function expectClean(reactor: ReactorBase): void {
  expect(reactor.getReaders(), 'readers left behind').toEqual([]);
  expect(reactor.getWriters(), 'writers left behind').toEqual([]);
  expect(reactor.getDelayedCalls(), 'timed calls left behind').toEqual([]);
}

/** Runs `reactor` until `work` settles, then stops it; resolves with the outcome of `work`. */
export async function runUntil<T>(reactor: ReactorBase, work: PromiseLike<T>): Promise<PromiseSettledResult<T>> {
  const outcome = Promise.allSettled([work]).then(([result]) => result);
  void outcome.then(() => reactor.running && reactor.stop());
  await reactor.run();
  return outcome;
}
