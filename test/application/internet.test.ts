// Tests for lib/application/internet.ts (chapter 16): TCPServer with a MemoryReactor, then on a
// real loopback port, as twisted.application.internet.TCPServer behaves.
import { afterEach, describe, expect, it } from 'vitest';
import { TCPServer } from '../../lib/application/internet';
import { MultiService } from '../../lib/application/service';
import { CannotListenError } from '../../lib/reactor/errors';
import type { ReactorBase } from '../../lib/reactor/base';
import type { Port } from '../../lib/reactor/port';
import { FastPoetryFactory } from '../../lib/poetry/fast-server';
import { MemoryReactor } from '../../lib/protocol/testing';
import { fetchAll } from '../helpers/net';
import { expectClean, REACTORS } from '../helpers/reactor';

describe('TCPServer with a MemoryReactor', () => {
  it('listens when started, with the options given, and stopService returns stopListening', () => {
    const reactor = new MemoryReactor();
    const factory = new FastPoetryFactory(Buffer.from('poem'));
    const service = new TCPServer(10000, factory, { interface: '0.0.0.0', backlog: 7, reactor });
    expect([reactor.tcpServers.length, service.getPort()]).toEqual([0, undefined]);
    service.startService();
    expect(reactor.tcpServers).toEqual([[10000, factory, 7, '0.0.0.0']]);
    expect(service.getPort()).toBe(reactor.ports[0]);
    expect(service.running).toBe(true);

    const stopped = service.stopService();
    expect(stopped?.called).toBe(true);
    expect([reactor.ports[0].listening, service.running, service.getPort()]).toEqual([false, false, undefined]);
    // Stopping again has no port to close.
    expect(service.stopService()).toBeUndefined();
  });

  it('listens in privilegedStartService and not again in startService, as Twisted does', () => {
    const reactor = new MemoryReactor();
    const service = new TCPServer(0, new FastPoetryFactory(Buffer.from('poem')), { reactor });
    const parent = new MultiService();
    service.setServiceParent(parent);
    parent.privilegedStartService();
    expect(reactor.tcpServers).toHaveLength(1);
    parent.startService();
    expect(reactor.tcpServers).toHaveLength(1);
    expect(service.getPort()?.getHost()).toEqual({ type: 'TCP', host: '127.0.0.1', port: 49152 });
  });

  it('listens again after a stop and a new start', () => {
    const reactor = new MemoryReactor();
    const service = new TCPServer(0, new FastPoetryFactory(Buffer.from('poem')), { reactor });
    service.startService();
    service.stopService();
    service.startService();
    expect([reactor.tcpServers.length, reactor.ports[1].listening]).toEqual([2, true]);
  });
});

describe.each(REACTORS)('TCPServer on loopback, %s', (_name, Reactor) => {
  let reactor: ReactorBase;
  afterEach(() => expectClean(reactor));

  it('serves clients while running; after the stop Deferred fires the port refuses them', async () => {
    reactor = new Reactor();
    const service = new TCPServer(0, new FastPoetryFactory(Buffer.from('a poem')), { reactor });
    service.startService();
    const { port } = service.getPort()!.getHost();
    const fetched = fetchAll(port);
    const run = reactor.run();
    expect((await fetched).toString()).toBe('a poem');
    await service.stopService();
    reactor.stop();
    await run;
    await expect(fetchAll(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('throws CannotListenError from startService when the port is taken', async () => {
    reactor = new Reactor();
    const first = new TCPServer(0, new FastPoetryFactory(Buffer.from('a poem')), { reactor });
    first.startService();
    await (first.getPort() as Port).whenListening();
    const second = new TCPServer(first.getPort()!.getHost().port, new FastPoetryFactory(Buffer.from('a poem')), { reactor });
    expect(() => second.startService()).toThrow(CannotListenError);
    expect(second.getPort()).toBeUndefined();
    expect(second.stopService()).toBeUndefined();
    await first.stopService();
  });
});
