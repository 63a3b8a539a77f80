// Tests for the chain simulator of chapter 09 (lib/notebook/deferred-chain.ts). Each expected
// path is worked out by hand from Twisted's rules: at each step exactly one side runs, the
// callback for a result and the errback for a Failure (an absent side lets it pass by); a side
// that returns sends a result on down the callbacks, one that throws sends a Failure down the
// errbacks. (Every chain of up to three steps is run on Twisted's own Deferred by test/defer/twisted-chains.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setErrorLogger } from '../../lib/log/index';
import type { ErrorLogger } from '../../lib/log/index';
import {
  chainCode,
  formatChain,
  parseChain,
  parseFire,
  renderChain,
  renderChains,
  renderNestedChain,
  runChain,
  runNestedChain,
} from '../../lib/notebook/deferred-chain';
import type { ChainRun, ChainStep } from '../../lib/notebook/deferred-chain';

/** The path as one line: the side that ran at each step ('-' for none), then the final result. */
function pathOf(run: ChainRun): string {
  return `${run.path.map((step) => step.ran ?? '-').join(' ')} => ${run.final.text}`;
}

function count(svg: string, pattern: RegExp): number {
  return svg.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

describe('runChain', () => {
  it('runs every callback when all of them return', () => {
    const run = runChain(parseChain('return/pass, return/throw, return/pass'));
    expect(pathOf(run)).toBe('callback callback callback => "cb3"');
    expect(run.path.map((step) => [step.input.text, step.output.text])).toEqual([
      ['"start"', '"cb1"'],
      ['"cb1"', '"cb2"'],
      ['"cb2"', '"cb3"'],
    ]);
    expect(run.final.kind).toBe('result');
  });

  it('switches to the errbacks when a callback throws, skipping the callbacks in between', () => {
    // cb1 returns; cb2 throws; step 3 has only a callback (passed by); errback 4 gets cb2's error.
    const run = runChain(parseChain('return/pass, throw/pass, return/pass, return/throw'));
    expect(pathOf(run)).toBe('callback callback - errback => Error: eb4');
    expect(run.path[2].input).toEqual({ kind: 'failure', text: 'Error: cb2' });
    expect(run.path[3].input).toEqual({ kind: 'failure', text: 'Error: cb2' });
  });

  it('switches back to the callbacks when an errback returns', () => {
    const run = runChain(parseChain('throw/pass, pass/return, return/return'));
    expect(pathOf(run)).toBe('callback errback callback => "cb3"');
    expect(run.path[2].input).toEqual({ kind: 'result', text: '"eb2"' });
  });

  it('lets a result pass by steps whose side for it is absent (pass/pass adds nothing)', () => {
    const run = runChain(parseChain('pass/return, pass/pass, pass/throw, return/pass'));
    expect(pathOf(run)).toBe('- - - callback => "cb4"');
    expect(run.path[3].input.text).toBe('"start"');
    expect(chainCode(run.steps)).toContain('// step 2: pass/pass, nothing to add');
  });

  it('starts down the errbacks when fired with errback', () => {
    const run = runChain(parseChain('return/pass, return/return, return/pass'), 'errback');
    expect(run.initial).toEqual({ kind: 'failure', text: 'Error: start' });
    expect(pathOf(run)).toBe('- errback callback => "cb3"');
    expect(run.path[1].input.text).toBe('Error: start');
  });

  it('ends with an unhandled failure when no errback returns', () => {
    const run = runChain(parseChain('throw/pass, pass/throw, return/pass'));
    expect(pathOf(run)).toBe('callback errback - => Error: eb2');
    expect(run.final.kind).toBe('failure');
  });

  it('calls an addBoth function on either path', () => {
    const run = runChain(parseChain('both:throw, both:return, both:return'));
    expect(pathOf(run)).toBe('callback errback callback => "cb3"');
    expect(run.path[1].output.text).toBe('"eb2"');
  });

  it('shows the classic difference: addCallbacks(cb, eb) vs addCallback(cb).addErrback(eb)', () => {
    // One step: the errback beside a callback never sees that callback's failure.
    expect(pathOf(runChain(parseChain('throw/return')))).toBe('callback => Error: cb1');
    // Two steps: the errback after the callback does.
    expect(pathOf(runChain(parseChain('throw/pass, pass/return')))).toBe('callback errback => "eb2"');
  });

  it('fires a chain of no steps straight through', () => {
    expect(pathOf(runChain([], 'callback'))).toBe(' => "start"');
    expect(runChain([], 'errback').final.kind).toBe('failure');
  });

  it('rejects steps and firings it does not know', () => {
    expect(() => runChain([{ callback: 'return', errback: 'retry' } as unknown as ChainStep])).toThrow(
      /^Expected `steps\[0\]` to be \{callback, errback\}/,
    );
    expect(() => runChain([], 'both' as 'callback')).toThrow('Expected `fire` to be callback or errback, got `both` (string)');
  });
});

describe('parseChain', () => {
  it('reads full words, abbreviations, addBoth, spaces and case', () => {
    expect(parseChain(' Return/PASS ,t/-, p/r, both:throw, both:r ')).toEqual([
      { callback: 'return', errback: 'pass' },
      { callback: 'throw', errback: 'pass' },
      { callback: 'pass', errback: 'return' },
      { both: 'throw' },
      { both: 'return' },
    ]);
    expect(parseChain('')).toEqual([]);
  });

  it('writes back what it reads', () => {
    const text = 'return/pass, throw/return, pass/pass, both:throw';
    expect(formatChain(parseChain(text))).toBe(text);
  });

  it('names the step it cannot read', () => {
    expect(() => parseChain('return/pass, return')).toThrow(
      'Expected step 2 to be CALLBACK/ERRBACK (each return, throw or pass) or both:return|throw, got `return` (string)',
    );
    expect(() => parseChain('return/pass,,pass/return')).toThrow(/step 2/);
    expect(() => parseChain('both:pass')).toThrow(/step 1/);
  });
});

describe('parseFire', () => {
  it('reads callback and errback, and nothing else', () => {
    expect(parseFire(' Errback ')).toBe('errback');
    expect(parseFire('callback')).toBe('callback');
    expect(() => parseFire('fail')).toThrow(TypeError);
  });
});

describe('chainCode', () => {
  it('writes the Deferred calls each step stands for, and the firing', () => {
    const code = chainCode(parseChain('return/throw, return/pass, pass/return, both:throw'), 'errback');
    expect(code.split('\n').map((line) => line.split(' //')[0].trim())).toEqual([
      'const d = new Deferred<string>();',
      'd.addCallbacks(callback1, errback1);',
      'd.addCallback(callback2);',
      'd.addErrback(errback3);',
      'd.addBoth(both4);',
      'd.errback(new Error("start"));',
    ]);
    expect(code).toContain('// returns "cb1"; throws Error("eb1")');
  });
});

describe('renderChain', () => {
  it('highlights the side that ran at each step and one arrow into each row and out of the last', () => {
    // cb1 runs, cb2 throws, step 3 (callback only) is passed by, eb4 runs: 3 boxes ran, 5 arrows.
    const run = runChain(parseChain('return/pass, throw/pass, return/pass, pass/return'));
    const svg = renderChain(run, { title: 'a <chain>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(count(svg, /class="box ran"/)).toBe(3);
    expect(count(svg, /class="box idle"/)).toBe(1); // callback 3, passed by by the failure
    expect(count(svg, /class="box absent"/)).toBe(4);
    expect(count(svg, /class="arrow taken /)).toBe(5);
    // start, cb1 -> cb2 carry results; cb2 -> step 3 and step 3 -> eb4 carry the failure; eb4 -> end a result.
    expect(count(svg, /class="arrow taken result"/)).toBe(3);
    expect(count(svg, /class="arrow taken failure"/)).toBe(2);
    expect(svg).toContain('class="final result"');
    expect(svg).toContain('a &#60;chain&#62;');
  });

  it('draws a final unhandled failure, and the ways not taken between rows', () => {
    // Rows: 1 return/pass (callback: 2 ways, absent errback: 1), 2 throw/throw (2 + 2); none after row 3.
    const svg = renderChain(runChain(parseChain('return/pass, throw/throw, return/pass')));
    expect(svg).toContain('class="final failure"');
    expect(svg).toContain('unhandled failure');
    expect(count(svg, /class="arrow possible"/)).toBe(3 + 4);
    expect(count(svg, /class="box ran"/)).toBe(2);
    expect(count(svg, /class="arrow taken failure"/)).toBe(2);
  });

  it('makes the figure wide enough for a long title and a long label', () => {
    const title = 'return/pass, throw/return, return/pass, pass/throw, return/return, pass/return (fired with callback)';
    const run = runChain(parseChain('return/pass'));
    const width = (svg: string): number => Number(/<svg [^>]*width="(\d+)"/.exec(svg)?.[1]);
    const plain = width(renderChain(run));
    // At 14 px, bold, a character is well under 0.6 em: the title must fit in 0.6 em a character plus the margin.
    expect(width(renderChain(run, { title }))).toBeGreaterThanOrEqual(8 + title.length * 14 * 0.6);
    expect(width(renderChain(run, { title: 'short' }))).toBe(plain);
    // The arrow from the firing down the errbacks is labelled at its right: a long label widens the figure.
    const failed = runChain(parseChain('pass/return'), 'errback');
    const label = 'SomeVeryLongErrorName: and a long message too';
    const wide = width(renderChain({ ...failed, initial: { kind: 'failure', text: label } }));
    expect(wide).toBeGreaterThan(plain);
    expect(wide).toBeGreaterThanOrEqual(plain - 80 + label.length * 11 * 0.6);
  });

  it('draws a chain of no steps as one arrow from the firing to the end', () => {
    const svg = renderChain(runChain([], 'errback'));
    expect(count(svg, /class="arrow taken failure"/)).toBe(1);
    expect(count(svg, /class="box /)).toBe(0);
  });
});

describe('renderChains', () => {
  it('puts the figures side by side in one SVG, as tall as the tallest', () => {
    const one = renderChain(runChain(parseChain('throw/return')), { title: 'addCallbacks' });
    const two = renderChain(runChain(parseChain('throw/pass, pass/return')), { title: 'addCallback, addErrback' });
    const both = renderChains([
      { run: runChain(parseChain('throw/return')), title: 'addCallbacks' },
      { run: runChain(parseChain('throw/pass, pass/return')), title: 'addCallback, addErrback' },
    ]);
    const size = (svg: string): number[] => (/width="(\d+)" height="(\d+)"/.exec(svg) ?? []).slice(1).map(Number);
    expect(size(both)[0]).toBe(size(one)[0] + 24 + size(two)[0]);
    expect(size(both)[1]).toBe(Math.max(size(one)[1], size(two)[1]));
    expect(count(both, /transform="translate\(/)).toBe(2);
    expect(count(both, /class="arrow taken /)).toBe(2 + 3);
  });
});

describe('runChain and the unhandled-error log', () => {
  let lines: string[] = [];
  let previous: ErrorLogger;
  beforeEach(() => {
    lines = [];
    previous = setErrorLogger((line) => lines.push(line));
  });
  afterEach(() => setErrorLogger(previous));

  it('leaves no unhandled failure behind to be logged when the Deferred is collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc (see vitest.config.mts)');
    (() => {
      runChain(parseChain('throw/pass'));
    })();
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(lines).toEqual([]);
  });
});

describe('runNestedChain', () => {
  it('pauses the outer chain at the step that returned the inner Deferred, then resumes with its result', () => {
    const run = runNestedChain(parseChain('return/pass, return/pass, return/return'), 1, parseChain('return/pass'));
    expect([run.pausedBeforeInner, run.stepsBeforeInner]).toEqual([1, 2]);
    expect(pathOf(run.inner)).toBe('callback => "inner cb1"');
    expect(run.outer.path[1].output.text).toBe('"inner cb1"');
    expect(run.outer.path[2].input.text).toBe('"inner cb1"');
    expect(pathOf(run.outer)).toBe('callback callback callback => "outer cb3"');
  });

  it('resumes the outer chain on the errbacks when the inner Deferred fails', () => {
    const run = runNestedChain(parseChain('return/pass, return/pass, return/return'), 1, parseChain('return/pass'), 'errback');
    expect(pathOf(run.inner)).toBe('- => Error: start');
    expect(run.outer.path[2].input).toEqual({ kind: 'failure', text: 'Error: start' });
    expect(pathOf(run.outer)).toBe('callback callback errback => "outer eb3"');
  });

  it('rejects a step that cannot return the inner Deferred', () => {
    expect(() => runNestedChain(parseChain('pass/return'), 0, [])).toThrow(TypeError);
    expect(() => runNestedChain(parseChain('return/pass'), 1, [])).toThrow('Expected `at` to be the index of an outer step');
  });
});

describe('renderNestedChain', () => {
  it('draws both chains, the step that returned the inner Deferred, and the pause and the resumption', () => {
    const run = runNestedChain(parseChain('return/pass, return/pass, return/pass'), 1, parseChain('return/pass, return/pass'));
    const svg = renderNestedChain(run, { title: 'nested', outerTitle: 'the download', innerTitle: 'the transform' });
    for (const text of ['nested', 'the download', 'the transform', 'returns inner', 'paused=1: waits on inner', 'inner fires: outer resumes', 'handed to outer']) {
      expect(svg).toContain(text);
    }
    expect(count(svg, /class="nested paused"/)).toBe(1);
    expect(count(svg, /class="nested resumed"/)).toBe(1);
    expect(count(svg, /class="box ran"/)).toBe(5); // three outer callbacks, two inner ones
    expect(count(svg, /class="arrow taken /)).toBe(4 + 3);
  });
});
