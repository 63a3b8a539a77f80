// Tests for lib/poetry/fast-service.ts (chapter 16): the fast poetry server 2.0 as a service tree,
// driven by a MemoryReactor (its Clock times the grace period) and StringTransports.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addObserver } from '../../lib/log/index';
import type { MultiService } from '../../lib/application/service';
import { Failure } from '../../lib/defer/failure';
import { makeFastPoetryService, PoetryService } from '../../lib/poetry/fast-service';
import { MemoryReactor, StringTransport } from '../../lib/protocol/testing';
import { ConnectionAborted, ConnectionDone } from '../../lib/reactor/errors';
import type { IProtocol } from '../../lib/reactor/interfaces';

let dir: string;
let file: string;
let lines: string[];
let stopLogging: () => void;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fast-service-'));
  file = path.join(dir, 'poem.txt');
  writeFileSync(file, 'a short poem\n');
  lines = [];
  stopLogging = addObserver((line) => lines.push(line));
});
afterEach(() => {
  stopLogging();
  rmSync(dir, { recursive: true, force: true });
});

function started(graceSeconds = 5): { reactor: MemoryReactor; top: MultiService; poetry: PoetryService } {
  const reactor = new MemoryReactor();
  const top = makeFastPoetryService({ port: 10000, iface: '127.0.0.1', poem: file, graceSeconds, reactor });
  top.privilegedStartService();
  top.startService();
  return { reactor, top, poetry: top.getServiceNamed('poetry') as PoetryService };
}

/** A client connected to the service's port: its protocol and transport. */
function connect(reactor: MemoryReactor, clientPort: number): { protocol: IProtocol; transport: StringTransport } {
  const [, factory] = reactor.tcpServers[0];
  const protocol = factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: clientPort })!;
  const transport = new StringTransport({ peerAddress: { type: 'TCP', host: '127.0.0.1', port: clientPort } });
  protocol.makeConnection(transport);
  return { protocol, transport };
}

describe('makeFastPoetryService', () => {
  it('holds the PoetryService, then the TCPServer, and listens on the port and interface given', () => {
    const { reactor, top, poetry } = started();
    expect([...top].map((s) => s.name)).toEqual(['poetry', 'tcp']);
    expect(reactor.tcpServers.map(([port, , , iface]) => [port, iface])).toEqual([[10000, '127.0.0.1']]);
    expect(Buffer.from(poetry.poem).toString()).toBe('a short poem\n');
    expect(lines).toEqual([`Loaded a poem from ${file}`]);
  });

  it('serves the poem the service loaded, with a log line per client', () => {
    const { reactor } = started();
    const { transport } = connect(reactor, 40012);
    expect(transport.value().toString()).toBe('a short poem\n');
    expect(transport.disconnecting).toBe(true);
    expect(lines.at(-1)).toBe('Sending 13 bytes of poetry to 127.0.0.1:40012');
  });
  it('builds no log line, nor asks the peer address, when nobody logs', () => {
    const { reactor } = started();
    stopLogging();
    const [, factory] = reactor.tcpServers[0];
    const transport = new StringTransport();
    let asked = 0;
    transport.getPeer = () => {
      asked++;
      return StringTransport.prototype.getPeer.call(transport);
    };
    factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 1 })!.makeConnection(transport);
    expect([transport.value().toString(), asked]).toEqual(['a short poem\n', 0]);
  });
});

describe('PoetryService.stopService', () => {
  it('fires at once when no poem is under way, after the port has stopped', () => {
    const { reactor, top } = started();
    const stopped = top.stopService();
    expect([reactor.ports[0].listening, stopped.called]).toEqual([false, true]);
  });

  it('waits for the poems under way, and fires with 0 when they finish in time', () => {
    const { reactor, top } = started();
    const { protocol } = connect(reactor, 40012);
    const stopped = top.stopService();
    expect([reactor.ports[0].listening, stopped.called]).toEqual([false, false]);
    expect(lines.at(-1)).toBe('Finishing 1 poem(s) under way');
    reactor.advance(4);
    protocol.connectionLost(new Failure(new ConnectionDone('done')));
    expect(stopped.result).toEqual([
      [true, undefined],
      [true, 0],
    ]);
    expect(reactor.getDelayedCalls()).toEqual([]);
  });

  it('aborts the connections still open after the grace period, then fires with their number', () => {
    const { reactor, top } = started(5);
    const clients = [connect(reactor, 40012), connect(reactor, 40013)];
    connect(reactor, 40014).protocol.connectionLost(new Failure(new ConnectionDone('done')));
    const stopped = top.stopService();
    reactor.advance(4.9);
    expect(clients.map((c) => c.transport.disconnected)).toEqual([false, false]);
    reactor.advance(0.1);
    expect(clients.map((c) => c.transport.disconnected)).toEqual([true, true]);
    expect(stopped.called).toBe(false); // until their connectionLost comes
    for (const { protocol } of clients) protocol.connectionLost(new Failure(new ConnectionAborted('aborted')));
    expect((stopped.result as unknown[][])[1]).toEqual([true, 2]);
    expect(lines.at(-1)).toBe('Aborted 2 connection(s) still open after the grace period of 5 s');
  });

  it('a service whose poem file is missing does not start', () => {
    const service = new PoetryService(path.join(dir, 'missing.txt'));
    expect(() => service.startService()).toThrow(/ENOENT/);
    expect(service.running).toBe(false);
  });
});
