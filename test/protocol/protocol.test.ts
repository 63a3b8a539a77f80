// Tests for Protocol (chapter 05), after twisted/test/test_protocols.py and
// twisted/internet/test/test_protocol.py.
import { describe, expect, it } from 'vitest';
import { Failure } from '../../lib/defer/failure';
import { Protocol } from '../../lib/protocol/protocol';
import { ConnectionDone } from '../../lib/reactor/errors';
import type { ITransport } from '../../lib/reactor/interfaces';
import { StringTransport } from '../../lib/protocol/testing';

describe('Protocol.makeConnection', () => {
  it('sets transport and connected, then calls connectionMade', () => {
    const seen: unknown[] = [];
    class Greeter extends Protocol {
      override connectionMade(): void {
        seen.push([this.connected, this.transport]);
        this.transport.write('hello');
      }
    }
    const protocol = new Greeter();
    const transport = new StringTransport();
    expect(protocol.connected).toBe(false);
    expect(protocol.transport).toBeUndefined();
    protocol.makeConnection(transport);
    expect(seen).toEqual([[true, transport]]);
    expect(transport.value().toString()).toBe('hello');
  });
});

describe('Protocol (defaults)', () => {
  it('does nothing on connectionMade and dataReceived', () => {
    const protocol = new Protocol();
    const transport = new StringTransport();
    protocol.makeConnection(transport);
    protocol.dataReceived(Buffer.from('ignored'));
    expect(transport.value().length).toBe(0);
    expect(transport.disconnecting).toBe(false);
  });

  it('has no factory until one builds it', () => {
    expect(new Protocol().factory).toBeUndefined();
  });
});

describe('Protocol.connectionLost', () => {
  it('sets connected to false', () => {
    const protocol = new Protocol();
    protocol.makeConnection(new StringTransport() satisfies ITransport);
    protocol.connectionLost(new Failure(new ConnectionDone()));
    expect(protocol.connected).toBe(false);
  });
});

describe('Protocol.logPrefix', () => {
  it('is the class name', () => {
    class PoetryProtocol extends Protocol {}
    expect(new PoetryProtocol().logPrefix()).toBe('PoetryProtocol');
  });
});
