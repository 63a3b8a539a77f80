// Tests for traceDeferreds (lib/notebook/chain-trace.ts): the chains of real Deferreds, recorded
// as they run, for the figures of chapters 07 and 10.
import { describe, expect, it } from 'vitest';
import { Deferred } from '../../lib/defer/deferred';
import type { Failure } from '../../lib/defer/failure';
import { renderChain, traceDeferreds } from '../../lib/notebook/deferred-chain';
import { Clock } from '../../lib/reactor/clock';

class PoemNotFound extends Error {
  override name = 'PoemNotFound';
}

/** A chain of named functions: count the lines, recover from PoemNotFound, then print. */
function chain(d: Deferred<string>, printed: string[]): void {
  const counted = d
    .addCallback(function countLines(poem: string) {
      return poem.split('\n').length;
    })
    .addErrback(function useDefault(failure: Failure) {
      failure.trap(PoemNotFound);
      return 0;
    });
  counted.addCallbacks(
    function printCount(lines: number) {
      printed.push(`${lines} lines`);
    },
    function printFailure(failure: Failure) {
      printed.push(failure.getErrorMessage());
      return failure;
    },
  );
}

const count = (svg: string, pattern: RegExp): number => svg.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('traceDeferreds', () => {
  it('records which function ran at each step, with what, for a Deferred fired with a result', async () => {
    const printed: string[] = [];
    const { runs } = await traceDeferreds(() => {
      const d = new Deferred<string>();
      chain(d, printed);
      d.callback('one\ntwo');
    });
    expect(printed).toEqual(['2 lines']);
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run.fire).toBe('callback');
    expect(run.initial).toEqual({ kind: 'result', text: '"one\\ntwo"' });
    expect(run.path.map((step) => step.ran)).toEqual(['callback', null, 'callback']);
    expect(run.path.map((step) => step.output.text)).toEqual(['2', '2', 'undefined']);
    expect(run.path[0].labels).toEqual({ callback: ['countLines', 'returned 2'] });
    expect(run.path[2].labels?.errback).toEqual(['printFailure', 'did not run']);
    expect(run.final).toEqual({ kind: 'result', text: 'undefined' });
  });

  it('follows a failure down the errbacks, through a trap that rethrows, and fires later on a Clock', async () => {
    const printed: string[] = [];
    const clock = new Clock();
    const d = new Deferred<string>();
    const { value, runs } = await traceDeferreds(() => {
      chain(d, printed);
      clock.callLater(1, () => d.errback(new RangeError('line 99')));
      clock.advance(1);
      return 'done';
    });
    expect(value).toBe('done');
    expect(printed).toEqual(['line 99']);
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run.fire).toBe('errback');
    expect(run.path.map((step) => step.ran)).toEqual([null, 'errback', 'errback']);
    expect(run.path[1].labels?.errback).toEqual(['useDefault', 'threw RangeError']);
    expect(run.path[2].labels?.errback).toEqual(['printFailure', 'returned a Failure']);
    expect(run.final).toEqual({ kind: 'failure', text: 'RangeError: line 99' });
    d.addErrback(() => null); // handled: not logged when collected
  });

  it('draws a traced chain with the functions’ names, and puts Deferred back as it was', async () => {
    const before = Deferred.prototype.addCallback;
    const { runs } = await traceDeferreds(() => {
      const d = new Deferred<string>();
      chain(d, []);
      d.callback('a poem');
    });
    expect(Deferred.prototype.addCallback).toBe(before);
    const svg = renderChain(runs[0], { title: 'traced' });
    expect(svg).toContain('countLines');
    expect(svg).toContain('d.callback(result)');
    expect(count(svg, /class="box ran"/)).toBe(2);
    expect(count(svg, /class="box idle"/)).toBe(2); // useDefault, printFailure
    expect(count(svg, /class="box absent"/)).toBe(2);
  });

  it('leaves out Deferreds that never fired, and restores Deferred when the body throws', async () => {
    const before = Deferred.prototype.callback;
    await expect(
      traceDeferreds(() => {
        new Deferred<string>().addCallback((poem) => poem);
        throw new Error('broken body');
      }),
    ).rejects.toThrow('broken body');
    expect(Deferred.prototype.callback).toBe(before);
    const { runs } = await traceDeferreds(() => void new Deferred<string>().addCallback((poem) => poem));
    expect(runs).toEqual([]);
  });
});
