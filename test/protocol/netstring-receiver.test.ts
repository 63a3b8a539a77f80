// Tests for NetstringReceiver (chapter 12), after twisted/test/test_protocols.py
// (NetstringReceiverTests). Every input is fed in every chunking (chunkings.ts): whole, byte by
// byte and cut at random, and must give the same strings.
import { describe, expect, it } from 'vitest';
import { NetstringReceiver } from '../../lib/protocol/netstring-receiver';
import { StringTransport } from '../../lib/protocol/testing';
import { CHUNKING_NAMES, cut, fixedChunks, randomChunks } from './chunkings';

class Collector extends NetstringReceiver {
  strings: Buffer[] = [];
  override stringReceived(data: Buffer): void {
    this.strings.push(data);
  }
}

function connect(protocol = new Collector()): { protocol: Collector; transport: StringTransport } {
  const transport = new StringTransport();
  protocol.makeConnection(transport);
  return { protocol, transport };
}

function receive(data: Buffer | string, chunking: string, protocol = new Collector()) {
  const connection = connect(protocol);
  for (const chunk of cut(data, chunking)) connection.protocol.dataReceived(chunk);
  return { ...connection, strings: connection.protocol.strings.map((s) => s.toString('latin1')) };
}

// What Twisted 22.4's NetstringReceiver.sendString wrote for b'hello world!', b'',
// 'héllo ✓ 🐍' in UTF-8, bytes(range(256)) and b'12:,' (base64 of transport.value()).
const TWISTED_WIRE = Buffer.from(
  'MTI6aGVsbG8gd29ybGQhLDA6LDE1OmjDqWxsbyDinJMg8J+QjSwyNTY6AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd' +
    'Hh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2Rl' +
    'ZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6yt' +
    'rq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T1' +
    '9vf4+fr7/P3+/yw0OjEyOiws',
  'base64',
);
const TWISTED_PAYLOADS = [
  Buffer.from('hello world!'),
  Buffer.alloc(0),
  Buffer.from('héllo ✓ 🐍'),
  Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)),
  Buffer.from('12:,'),
];

describe('NetstringReceiver.sendString', () => {
  it('writes length, colon, payload, comma in one write: 12:hello world!,', () => {
    const { protocol, transport } = connect();
    protocol.sendString('hello world!');
    expect(transport.value().toString()).toBe('12:hello world!,');
  });

  it('counts the bytes of a string sent as UTF-8', () => {
    const { protocol, transport } = connect();
    protocol.sendString('é');
    expect(transport.value()).toEqual(Buffer.from('2:\xc3\xa9,', 'latin1'));
  });

  it("writes exactly the bytes Twisted's sendString writes", () => {
    const { protocol, transport } = connect();
    protocol.sendString(TWISTED_PAYLOADS[0].toString());
    for (const payload of TWISTED_PAYLOADS.slice(1)) protocol.sendString(new Uint8Array(payload));
    expect(transport.value()).toEqual(TWISTED_WIRE);
  });
});

describe.each(CHUNKING_NAMES)('NetstringReceiver.dataReceived, fed %s', (chunking) => {
  it("reads what Twisted's sendString wrote", () => {
    const { protocol, transport } = receive(TWISTED_WIRE, chunking);
    expect(protocol.strings).toEqual(TWISTED_PAYLOADS);
    expect(transport.disconnecting).toBe(false);
  });

  it('reads several netstrings, empty ones and ones holding netstring syntax', () => {
    const { strings, protocol } = receive('3:abc,0:,4:1:a,,0:,5:12345,2:x', chunking);
    expect(strings).toEqual(['abc', '', '1:a,', '', '12345']);
    expect(protocol.brokenPeer).toBe(false);
    expect(protocol.bufferSize).toBe(1);
  });

  it('gives each payload a buffer of its own', () => {
    const { protocol } = receive('3:abc,3:def,', chunking);
    protocol.strings[0].fill(0x21);
    expect(protocol.strings[1].toString()).toBe('def');
  });

  it('accepts a netstring of exactly MAX_LENGTH bytes', () => {
    const payload = Buffer.alloc(99999, 'p');
    const data = Buffer.concat([Buffer.from('99999:'), payload, Buffer.from(',1:z,')]);
    const { protocol, transport } = receive(data, chunking);
    expect(protocol.strings).toEqual([payload, Buffer.from('z')]);
    expect(transport.disconnecting).toBe(false);
  });

  it('refuses a netstring of MAX_LENGTH + 1 bytes as soon as its length says so', () => {
    const data = Buffer.concat([Buffer.from('1:a,100000:'), Buffer.alloc(100001, 'p'), Buffer.from(',1:z,')]);
    const { strings, protocol, transport } = receive(data, chunking);
    expect(strings).toEqual(['a']);
    expect(transport.disconnecting).toBe(true);
    expect(protocol.bufferSize).toBe(0);
  });

  it('uses the MAX_LENGTH set on the protocol', () => {
    const small = new Collector();
    small.MAX_LENGTH = 3;
    const { strings, transport } = receive('3:abc,4:abcd,', chunking, small);
    expect(strings).toEqual(['abc']);
    expect(transport.disconnecting).toBe(true);
  });

  // Each of these drops the connection in Twisted 22.4 too, fed whole or byte by byte.
  it.each([
    ['garbage before the length', 'x3:abc,'],
    ['a space before the length', ' 3:abc,'],
    ['a non-digit in the length', '1a:x,'],
    ['a space after the length', '3 :abc,'],
    ['a sign', '-1:a,'],
    ['a colon with no length', ':abc,'],
    ['a leading zero', '03:abc,'],
    ['leading zeros', '007:abcdefg,'],
    ['two zeros', '00:,'],
    ['a missing comma', '3:abcX1:z,'],
    ['an extra comma', ','],
    ['a length too long for MAX_LENGTH', '100000:'],
    ['too many length digits', '1000000000000000000000:'],
  ])('drops the connection on %s, and delivers nothing after it', (kind, bad) => {
    const { strings, protocol, transport } = receive(`2:ok,${bad}3:abc,`, chunking);
    expect(strings).toEqual(['ok']);
    expect(transport.disconnecting).toBe(true);
    expect(protocol.brokenPeer).toBe(true);
  });
});

describe('NetstringReceiver.dataReceived, memory', () => {
  it('holds no more than what arrived for a peer that announces MAX_LENGTH, then trickles', () => {
    const { protocol, transport } = connect();
    protocol.dataReceived(Buffer.from('99999:'));
    let largest = 0;
    for (let sent = 1; sent <= 99999; sent += 1) {
      protocol.dataReceived(Buffer.of(0x74));
      largest = Math.max(largest, protocol.bufferSize);
      if (sent === 10) expect(protocol.bufferSize).toBe(10);
    }
    expect(largest).toBe(99999);
    protocol.dataReceived(Buffer.from(','));
    expect(protocol.strings.map((s) => s.length)).toEqual([99999]);
    expect(protocol.bufferSize).toBe(0);
    expect(transport.disconnecting).toBe(false);
  });

  it.each([
    ['whole', (data: Buffer) => [data]],
    ['in 1-7 byte pieces', (data: Buffer) => randomChunks(data, 5, 7)],
    ['in pieces up to 64 KiB', (data: Buffer) => randomChunks(data, 6, 65536)],
  ])('stays bounded when a peer sends a megabyte where a comma should be (%s)', (name, chunk) => {
    const { protocol, transport } = connect();
    const data = Buffer.concat([Buffer.from('99999:'), Buffer.alloc(1 << 20, 'm')]);
    let largest = 0;
    for (const piece of chunk(data)) {
      protocol.dataReceived(piece);
      largest = Math.max(largest, protocol.bufferSize);
    }
    expect(largest).toBeLessThanOrEqual(99999);
    expect(protocol.bufferSize).toBe(0);
    expect(transport.disconnecting).toBe(true);
    expect(protocol.strings).toEqual([]);
  });

  it('ignores everything a broken peer sends afterwards', () => {
    const { protocol } = connect();
    protocol.dataReceived(Buffer.from('x'));
    for (const piece of fixedChunks(Buffer.from('3:abc,'.repeat(1000)), 5)) protocol.dataReceived(piece);
    expect(protocol.strings).toEqual([]);
    expect(protocol.bufferSize).toBe(0);
  });
});

describe('NetstringReceiver.stringReceived', () => {
  it('may send replies and close, while later netstrings of the same read are still parsed', () => {
    class Upper extends Collector {
      override stringReceived(data: Buffer): void {
        super.stringReceived(data);
        this.sendString(data.toString().toUpperCase());
        if (data.toString() === 'bye') this.transport.loseConnection();
      }
    }
    const { protocol, transport } = connect(new Upper());
    protocol.dataReceived(Buffer.from('5:hello,3:bye,3:end,'));
    expect(transport.value().toString()).toBe('5:HELLO,3:BYE,3:END,');
    expect(transport.disconnecting).toBe(true);
  });
});
