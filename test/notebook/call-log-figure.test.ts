import { describe, expect, it } from 'vitest';
import type { Call } from '../../lib/notebook/call-log';
import { renderCallLog } from '../../lib/notebook/call-log-figure';

const call = (from: string, to: string, method: string, depth: number, at = 0): Call => ({ from, to, method, depth, at });

/** A connection, five chunks, and the end: 6 + 5 * 3 + 2 calls. */
const CALLS: Call[] = [
  call('program', 'reactor', 'connectTCP', 0, 0.001),
  call('reactor', 'factory', 'startedConnecting', 1),
  call('reactor', 'transport', 'doWrite', 0, 0.008),
  call('transport', 'factory', 'buildProtocol', 1),
  call('transport', 'protocol', 'makeConnection', 1),
  call('protocol', 'protocol', 'connectionMade', 2),
  ...[1, 2, 3, 4, 5].flatMap((n) => [
    call('reactor', 'transport', 'doRead', 0, n / 10),
    call('transport', 'protocol', 'dataReceived', 1),
    call('protocol', 'transport', 'getPeer', 2),
  ]),
  call('reactor', 'transport', 'connectionLost', 0, 0.6),
  call('transport', 'protocol', 'connectionLost', 1),
];
const LANES = ['program', 'reactor', 'transport', 'protocol', 'factory'];

describe('renderCallLog', () => {
  it('draws a lane per object and an arrow per call, in call order', () => {
    const svg = renderCallLog(CALLS, { title: 'Who calls <whom>', lanes: LANES });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Who calls &#60;whom&#62;');
    for (const lane of LANES) expect(svg).toContain(`>${lane}</text>`);
    expect(svg.match(/class="call"/g)).toHaveLength(CALLS.length);
    expect(svg.indexOf('connectTCP()')).toBeLessThan(svg.indexOf('buildProtocol()'));
    expect(svg.indexOf('makeConnection()')).toBeLessThan(svg.indexOf('dataReceived()'));
    // An event's time is printed once, at the call from the outside: 1 + 1 + 5 + 1.
    expect(svg.match(/ s<\/text>/g)).toHaveLength(8);
    expect(svg).toContain('>0.100 s<');
    // A call to itself is a loop, not a line.
    expect(svg.match(/<path class="call"/g)).toHaveLength(1);
  });

  it('keeps the first and last repeated events and one line for the rest', () => {
    const svg = renderCallLog(CALLS, {
      title: 't',
      lanes: LANES,
      repeated: { method: 'dataReceived', first: 2, last: 1, summary: '… {n} more chunks …' },
    });
    expect(svg).toContain('… 2 more chunks …');
    expect(svg.match(/class="summary"/g)).toHaveLength(1);
    expect(svg.match(/>dataReceived\(\)</g)).toHaveLength(3);
    expect(svg.match(/class="call"/g)).toHaveLength(CALLS.length - 2 * 3);
    expect(svg).not.toContain('>0.300 s<');
    expect(svg).toContain('>0.500 s<');
  });

  it('draws no summary line when nothing is left out, and leaves out calls of other lanes', () => {
    const svg = renderCallLog(CALLS, {
      title: 't',
      lanes: ['reactor', 'transport', 'protocol'],
      repeated: { method: 'dataReceived', first: 3, last: 2, summary: '{n} more' },
    });
    expect(svg).not.toContain('class="summary"');
    expect(svg).not.toContain('connectTCP()');
    expect(svg).not.toContain('buildProtocol()');
    expect(svg.match(/>dataReceived\(\)</g)).toHaveLength(5);
  });
});
