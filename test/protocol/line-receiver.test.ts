// Tests for LineReceiver (chapters 05 and 12), after twisted/test/test_protocols.py
// (LineReceiverTests). Every input is fed in every chunking (chunkings.ts): whole, byte by byte
// and cut at random, and must give the same lines.
import { describe, expect, it } from 'vitest';
import { LineReceiver } from '../../lib/protocol/line-receiver';
import { StringTransport } from '../../lib/protocol/testing';
import { CHUNKING_NAMES, cut, fixedChunks, randomChunks } from './chunkings';

/** Collects the lines it receives; `MAX_LENGTH`/`delimiter` may be set before feeding. */
class Collector extends LineReceiver {
  lines: string[] = [];
  exceeded: Buffer[] = [];
  override lineReceived(line: string): void {
    this.lines.push(line);
  }
  override lineLengthExceeded(line: Buffer): void {
    this.exceeded.push(line);
    super.lineLengthExceeded(line);
  }
}

function connect<P extends LineReceiver>(protocol: P): { protocol: P; transport: StringTransport } {
  const transport = new StringTransport();
  protocol.makeConnection(transport);
  return { protocol, transport };
}

function feed(protocol: LineReceiver, chunks: Iterable<Buffer>): void {
  for (const chunk of chunks) protocol.dataReceived(chunk);
}

function linesOf(data: Buffer | string, chunking: string, setup: (p: Collector) => void = () => undefined) {
  const { protocol, transport } = connect(new Collector());
  setup(protocol);
  feed(protocol, cut(data, chunking));
  return { lines: protocol.lines, protocol, transport };
}

describe.each(CHUNKING_NAMES)('LineReceiver.dataReceived, fed %s', (chunking) => {
  it('delivers several lines, whatever the cuts, and keeps the unfinished one', () => {
    const { lines, protocol } = linesOf('first\r\nsecond line\r\nthird\r\nunfinished', chunking);
    expect(lines).toEqual(['first', 'second line', 'third']);
    expect(protocol.bufferSize).toBe('unfinished'.length);
  });

  it('delivers empty lines as empty strings', () => {
    expect(linesOf('\r\n\r\na\r\n\r\n', chunking).lines).toEqual(['', '', 'a', '']);
  });

  it('finds a delimiter split between reads, and not half of one', () => {
    expect(linesOf('a\rb\nc\r\r\nd\r\n', chunking).lines).toEqual(['a\rb\nc\r', 'd']);
  });

  it('decodes lines as UTF-8, with characters split between reads', () => {
    const text = ['héllo', '✓ done', '🐍 and 🌸', 'ünïcødé'];
    expect(linesOf(text.map((line) => `${line}\r\n`).join(''), chunking).lines).toEqual(text);
  });

  it('uses another delimiter when told', () => {
    const { lines } = linesOf('one\ntwo\r\nthree\n', chunking, (p) => (p.delimiter = '\n'));
    expect(lines).toEqual(['one', 'two\r', 'three']);
  });

  it('uses a delimiter longer than two bytes', () => {
    const { lines } = linesOf('a<END>b<EN<END><END>', chunking, (p) => (p.delimiter = '<END>'));
    expect(lines).toEqual(['a', 'b<EN', '']);
  });

  it('accepts a line of exactly MAX_LENGTH bytes', () => {
    const long = 'x'.repeat(20);
    const { lines, transport } = linesOf(`${long}\r\nnext\r\n`, chunking, (p) => (p.MAX_LENGTH = 20));
    expect(lines).toEqual([long, 'next']);
    expect(transport.disconnecting).toBe(false);
  });

  it('counts MAX_LENGTH in bytes, not characters', () => {
    const { lines, transport } = linesOf('ééééé\r\néééééé\r\n', chunking, (p) => (p.MAX_LENGTH = 10));
    expect(lines).toEqual(['ééééé']);
    expect(transport.disconnecting).toBe(true);
  });

  it('drops the connection on a line of MAX_LENGTH + 1 bytes, and delivers nothing after it', () => {
    const { lines, protocol, transport } = linesOf(
      `ok\r\n${'y'.repeat(21)}\r\nafter\r\n`,
      chunking,
      (p) => (p.MAX_LENGTH = 20),
    );
    expect(lines).toEqual(['ok']);
    expect(transport.disconnecting).toBe(true);
    expect(protocol.exceeded).toHaveLength(1);
    expect(protocol.exceeded[0].toString().startsWith('y'.repeat(20))).toBe(true);
  });

  it('drops the connection on a long line before its delimiter arrives', () => {
    const { lines, transport } = linesOf(`a\r\n${'z'.repeat(100)}`, chunking, (p) => (p.MAX_LENGTH = 20));
    expect(lines).toEqual(['a']);
    expect(transport.disconnecting).toBe(true);
  });

  it('delivers no line after the one that closed the connection', () => {
    class Quitter extends Collector {
      override lineReceived(line: string): void {
        super.lineReceived(line);
        if (line === 'QUIT') this.transport.loseConnection();
      }
    }
    const { protocol } = connect(new Quitter());
    feed(protocol, cut('hello\r\nQUIT\r\nignored\r\n', chunking));
    expect(protocol.lines).toEqual(['hello', 'QUIT']);
  });
});

describe('LineReceiver.dataReceived, a megabyte on one line', () => {
  const megabyte = Buffer.alloc(1 << 20, 'a');
  const bound = new Collector().MAX_LENGTH + 2;

  // The protocol's buffer, checked after every read and inside every callback.
  function largestBuffer(protocol: LineReceiver, chunks: Iterable<Buffer>): number {
    let largest = 0;
    for (const chunk of chunks) {
      protocol.dataReceived(chunk);
      largest = Math.max(largest, protocol.bufferSize);
    }
    return largest;
  }

  it.each([
    ['whole', [megabyte]],
    ['byte by byte', fixedChunks(megabyte, 1)],
    ['in 1-7 byte pieces', randomChunks(megabyte, 1, 7)],
    ['in pieces up to 64 KiB', randomChunks(megabyte, 2, 65536)],
  ])('drops the connection at MAX_LENGTH + delimiter bytes, buffering no more (%s)', (name, chunks) => {
    const { protocol, transport } = connect(new Collector());
    expect(largestBuffer(protocol, chunks)).toBeLessThanOrEqual(bound);
    expect(transport.disconnecting).toBe(true);
    expect(protocol.exceeded).toHaveLength(1);
    expect(protocol.exceeded[0].length).toBeGreaterThanOrEqual(bound);
    expect(protocol.lines).toEqual([]);
  });

  it.each([
    ['byte by byte', fixedChunks(megabyte, 1)],
    ['in 1-7 byte pieces', randomChunks(megabyte, 3, 7)],
    ['in pieces up to 64 KiB', randomChunks(megabyte, 4, 65536)],
  ])('stays bounded when lineLengthExceeded keeps the connection (%s)', (name, chunks) => {
    class Tolerant extends Collector {
      largestInCallback = 0;
      override lineLengthExceeded(line: Buffer): void {
        this.exceeded.push(Buffer.alloc(0));
        this.largestInCallback = Math.max(this.largestInCallback, this.bufferSize);
      }
    }
    const { protocol, transport } = connect(new Tolerant());
    expect(largestBuffer(protocol, chunks)).toBeLessThanOrEqual(bound);
    expect(protocol.largestInCallback).toBe(0); // the buffer is handed over, then empty
    expect(transport.disconnecting).toBe(false);
    expect(protocol.exceeded.length).toBeGreaterThan(1);
  });
});

describe('LineReceiver.sendLine', () => {
  it('writes the line and the delimiter in one write, as Twisted does', () => {
    const { protocol, transport } = connect(new Collector());
    protocol.sendLine('hello');
    protocol.sendLine(Buffer.from('é'));
    protocol.sendLine('');
    // twisted.protocols.basic.LineReceiver.sendLine wrote these same bytes:
    expect(transport.value()).toEqual(Buffer.from('hello\r\n\xc3\xa9\r\n\r\n', 'latin1'));
  });

  it('uses the delimiter set on the protocol', () => {
    const { protocol, transport } = connect(new Collector());
    protocol.delimiter = '\n';
    protocol.sendLine(new Uint8Array([0x61]));
    expect(transport.value().toString()).toBe('a\n');
  });
});

/**
 * Headers in lines, then a body of the announced length in raw mode, then lines again: the
 * shape of HTTP, and of Twisted's own LineTester.
 */
class HeaderThenBody extends LineReceiver {
  events: string[] = [];
  #remaining = 0;
  override lineReceived(line: string): void {
    this.events.push(`line:${line}`);
    const match = /^BODY (\d+)$/.exec(line);
    if (match) {
      this.#remaining = Number(match[1]);
      this.setRawMode();
    }
  }
  override rawDataReceived(data: Buffer): void {
    const body = data.subarray(0, this.#remaining);
    this.#remaining -= body.length;
    this.events.push(`raw:${body.toString()}`);
    if (this.#remaining === 0) this.setLineMode(data.subarray(body.length));
  }
}

describe.each(CHUNKING_NAMES)('LineReceiver.setRawMode / setLineMode, fed %s', (chunking) => {
  it('switches between lines and raw bytes in the middle of a read', () => {
    const { protocol } = connect(new HeaderThenBody());
    feed(protocol, cut('one\r\nBODY 11\r\nraw\r\nbytes!two\r\nBODY 0\r\nthree\r\n', chunking));
    const raw = protocol.events.filter((event) => event.startsWith('raw:')).map((event) => event.slice(4));
    expect(raw.join('')).toBe('raw\r\nbytes!');
    expect(protocol.events.filter((event) => event.startsWith('line:'))).toEqual([
      'line:one',
      'line:BODY 11',
      'line:two',
      'line:BODY 0',
      'line:three',
    ]);
  });
});

describe('LineReceiver.setRawMode', () => {
  it('delivers a whole read raw after it, as one chunk', () => {
    const { protocol } = connect(new HeaderThenBody());
    protocol.dataReceived(Buffer.from('BODY 6\r\nabc'));
    protocol.dataReceived(Buffer.from('deflast\r\n'));
    expect(protocol.events).toEqual(['line:BODY 6', 'raw:abc', 'raw:def', 'line:last']);
  });

  it('throws when rawDataReceived is not overridden', () => {
    class NoRaw extends Collector {
      override lineReceived(line: string): void {
        this.setRawMode();
      }
    }
    const { protocol } = connect(new NoRaw());
    expect(() => protocol.dataReceived(Buffer.from('go\r\nraw'))).toThrow(
      'NoRaw called setRawMode but does not override rawDataReceived',
    );
  });
});

describe('LineReceiver.clearLineBuffer', () => {
  it('returns and drops the unfinished line', () => {
    const { protocol } = connect(new Collector());
    protocol.dataReceived(Buffer.from('done\r\npart'));
    expect(protocol.clearLineBuffer().toString()).toBe('part');
    expect(protocol.bufferSize).toBe(0);
    protocol.dataReceived(Buffer.from('ial\r\n'));
    expect(protocol.lines).toEqual(['done', 'ial']);
  });

  it('called from lineReceived, drops the rest of the read', () => {
    class Clearing extends Collector {
      override lineReceived(line: string): void {
        super.lineReceived(line);
        if (line === 'clear') this.clearLineBuffer();
      }
    }
    const { protocol } = connect(new Clearing());
    protocol.dataReceived(Buffer.from('a\r\nclear\r\nb\r\nc'));
    protocol.dataReceived(Buffer.from('d\r\n'));
    expect(protocol.lines).toEqual(['a', 'clear', 'd']);
  });
});

describe('LineReceiver.pauseProducing / resumeProducing', () => {
  it('holds lines while paused, pauses the transport, and delivers them on resume', () => {
    class Pausing extends Collector {
      override lineReceived(line: string): void {
        super.lineReceived(line);
        if (line === 'pause') this.pauseProducing();
      }
    }
    const { protocol, transport } = connect(new Pausing());
    protocol.dataReceived(Buffer.from('a\r\npause\r\nb\r\n'));
    protocol.dataReceived(Buffer.from('c\r\n'));
    expect(protocol.lines).toEqual(['a', 'pause']);
    expect(transport.producerState).toBe('paused');
    protocol.resumeProducing();
    expect(transport.producerState).toBe('producing');
    expect(protocol.lines).toEqual(['a', 'pause', 'b', 'c']);
  });

  it('stopProducing stops the transport and delivers no more', () => {
    const { protocol, transport } = connect(new Collector());
    protocol.stopProducing();
    protocol.dataReceived(Buffer.from('a\r\n'));
    expect(transport.producerState).toBe('stopped');
    expect(protocol.lines).toEqual([]);
  });
});

describe('LineReceiver.dataReceived, called from lineReceived', () => {
  it('handles those bytes after the rest of the current read', () => {
    class Echoing extends Collector {
      override lineReceived(line: string): void {
        super.lineReceived(line);
        if (line === 'inject') this.dataReceived(Buffer.from('injected\r\n'));
      }
    }
    const { protocol } = connect(new Echoing());
    protocol.dataReceived(Buffer.from('inject\r\nrest\r\n'));
    expect(protocol.lines).toEqual(['inject', 'rest', 'injected']);
  });
});
