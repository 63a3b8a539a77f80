// Tests for ByteBuffer, the bounded byte queue behind LineReceiver and NetstringReceiver.
import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../lib/protocol/byte-buffer';

describe('ByteBuffer.append / view / consume', () => {
  it('queues bytes at the end and drops them from the front', () => {
    const buffer = new ByteBuffer();
    buffer.append(Buffer.from('hello '));
    buffer.append(Buffer.from('world'));
    expect(buffer.view().toString()).toBe('hello world');
    buffer.consume(6);
    expect(buffer.view().toString()).toBe('world');
    expect(buffer.length).toBe(5);
    buffer.append(Buffer.from('!'));
    expect(buffer.view().toString()).toBe('world!');
    buffer.consume(100);
    expect(buffer.length).toBe(0);
  });

  it('copies what it is given', () => {
    const buffer = new ByteBuffer();
    const data = Buffer.from('abc');
    buffer.append(data);
    data.fill(0x7a);
    expect(buffer.view().toString()).toBe('abc');
  });

  it('reuses the consumed front instead of growing', () => {
    const buffer = new ByteBuffer();
    buffer.append(Buffer.alloc(64, 'a'));
    const capacity = buffer.capacity;
    for (let round = 0; round < 100; round += 1) {
      buffer.consume(32);
      buffer.append(Buffer.alloc(32, 'b'));
    }
    expect(buffer.capacity).toBe(capacity);
    expect(buffer.view().toString()).toBe('b'.repeat(64));
  });
});

describe('ByteBuffer.append, capacity', () => {
  it('doubles its storage, up to the limit it is given, when fed a byte at a time', () => {
    const buffer = new ByteBuffer();
    const capacities = new Set<number>();
    let overAllocated = 0; // appends after which the storage was over twice what it held
    for (let count = 0; count < 99999; count += 1) {
      buffer.append(Buffer.of(count & 0xff), 99999);
      capacities.add(buffer.capacity);
      if (buffer.capacity > Math.max(64, 2 * buffer.length)) overAllocated += 1;
    }
    expect(overAllocated).toBe(0);
    expect(buffer.capacity).toBe(99999);
    // 64, 128, ... 65536, then the limit: few copies, not one a byte.
    expect([...capacities]).toEqual([...Array.from({ length: 11 }, (_, i) => 64 << i), 99999]);
    expect(buffer.view()[300]).toBe(300 & 0xff);
  });

  it('grows past the limit only as far as the bytes held need', () => {
    const buffer = new ByteBuffer();
    buffer.append(Buffer.alloc(10), 4);
    expect(buffer.capacity).toBe(10);
  });
});

describe('ByteBuffer.take / clear', () => {
  it('take returns a copy and empties the buffer', () => {
    const buffer = new ByteBuffer();
    buffer.append(Buffer.from('payload'));
    const taken = buffer.take();
    buffer.append(Buffer.from('XXXXXXX'));
    expect(taken.toString()).toBe('payload');
    expect(buffer.view().toString()).toBe('XXXXXXX');
  });

  it('lets go of large storage once empty, and keeps small storage', () => {
    const buffer = new ByteBuffer();
    buffer.append(Buffer.alloc(100));
    buffer.consume(100);
    expect(buffer.capacity).toBe(100);
    buffer.append(Buffer.alloc(10000));
    buffer.consume(10000);
    expect(buffer.capacity).toBe(0);
    buffer.append(Buffer.alloc(100));
    buffer.clear();
    expect([buffer.length, buffer.capacity]).toEqual([0, 0]);
  });
});
