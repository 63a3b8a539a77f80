import { describe, expect, it } from 'vitest';
import { renderSequence, SequenceRecorder } from '../../lib/notebook/sequence-figure';

describe('SequenceRecorder', () => {
  it('keeps the messages in the order they were recorded, calls by default', () => {
    const trace = new SequenceRecorder();
    trace.record('you', 'outer', 'cancel()');
    trace.record('outer', 'you', 'CancelledError', 'failure');
    expect(trace.messages).toEqual([
      { from: 'you', to: 'outer', label: 'cancel()', kind: 'call' },
      { from: 'outer', to: 'you', label: 'CancelledError', kind: 'failure' },
    ]);
  });
});

describe('renderSequence', () => {
  const trace = new SequenceRecorder();
  trace.record('you', 'outer <Deferred>', 'cancel()');
  trace.record('outer <Deferred>', 'inner', 'cancel()');
  trace.record('inner', 'inner', 'canceller(inner)');
  trace.record('inner', 'you', 'Failure(CancelledError)', 'failure');
  trace.record('inner', 'outer <Deferred>', '"done"', 'result');

  it('draws a column per participant and a numbered arrow per message, escaped', () => {
    const svg = renderSequence(['you', 'outer <Deferred>', 'inner'], trace.messages, { title: 'a cancel & its way' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<g class="participant">/g)).toHaveLength(3);
    expect(svg.match(/<g class="message /g)).toHaveLength(5);
    expect(svg.match(/<g class="message failure">/g)).toHaveLength(1);
    expect(svg.match(/<g class="message result">/g)).toHaveLength(1);
    expect(svg).toContain('outer &#60;Deferred&#62;');
    expect(svg).toContain('a cancel &#38; its way');
    // In order, top to bottom.
    const order = ['1. cancel()', '2. cancel()', '3. canceller(inner)', '4. Failure(CancelledError)', '5. &#34;done&#34;'].map((label) => svg.indexOf(label));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('draws a message to oneself as a loop, and any other as a line', () => {
    const svg = renderSequence(['you', 'outer <Deferred>', 'inner'], trace.messages);
    expect(svg.match(/<path d="M /g)).toHaveLength(1);
    expect(svg.match(/<line x1="[\d.]+" y1="[\d.]+" x2="[\d.]+" y2="[\d.]+" stroke="#/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('rejects a message from or to someone not in the figure', () => {
    expect(() => renderSequence(['you'], trace.messages)).toThrow(
      'Expected `messages[0]` to name one of the participants, got `outer <Deferred>` (string)',
    );
  });
});
