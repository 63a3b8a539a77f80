// Benchmark for issue 4 (its figures are charted in chapter 20): Deferred chains against Promise
// chains, linearity, and deeply nested Deferreds. Run: npx vitest bench --run test/bench
import { afterAll, bench, describe } from 'vitest';
import { Deferred } from '../../lib/defer/index';
import { loadNote, printTable, ratio } from './peers';

const increment = (x: number): number => x + 1;

function deferredChain(length: number): void {
  const deferred = new Deferred<number>();
  for (let i = 0; i < length; i++) deferred.addCallback(increment);
  deferred.callback(0);
  if (deferred.result !== length) throw new Error(`chain gave ${String(deferred.result)}`);
}

async function promiseChain(length: number): Promise<void> {
  let resolve!: (value: number) => void;
  let promise = new Promise<number>((r) => (resolve = r));
  for (let i = 0; i < length; i++) promise = promise.then(increment);
  resolve(0);
  if ((await promise) !== length) throw new Error('promise chain gave a wrong result');
}

// `depth` Deferreds, each one's callback returning the next, all fired but waiting on the last:
// firing the last pushes its result back up through all of them (iteratively).
function nestedDeferreds(depth: number): void {
  const deferreds = Array.from({ length: depth + 1 }, () => new Deferred<number>());
  for (let i = 0; i < depth; i++) {
    const next = deferreds[i + 1];
    deferreds[i].addCallback(() => next);
  }
  for (let i = 0; i < depth; i++) deferreds[i].callback(0);
  deferreds[depth].callback(42);
  if (deferreds[0].result !== 42) throw new Error('nested Deferreds gave a wrong result');
}

// Each run's duration, to compute the ratios below from this one process; the median, so that
// warm-up runs and the odd garbage collection do not decide them.
const durations = new Map<string, number[]>();

function measure(name: string, run: () => void | Promise<void>): void {
  const record = (start: number) => {
    const list = durations.get(name) ?? [];
    list.push(performance.now() - start);
    durations.set(name, list);
  };
  bench(
    name,
    () => {
      const start = performance.now();
      const running = run();
      if (running) return running.then(() => record(start));
      record(start);
    },
    { time: 1500, warmupTime: 300 },
  );
}

function median(name: string): number {
  const sorted = [...(durations.get(name) ?? [])].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const DEFERRED_1M = 'Deferred chain, 1,000,000 callbacks';
const DEFERRED_100K = 'Deferred chain, 100,000 callbacks';
const PROMISE_1M = 'Promise chain, 1,000,000 steps';
const NESTED = '100,000 nested Deferreds';

describe('Deferred chains', () => {
  measure(DEFERRED_1M, () => deferredChain(1_000_000));
  measure(DEFERRED_100K, () => deferredChain(100_000));
  measure(PROMISE_1M, () => promiseChain(1_000_000));
  measure(NESTED, () => nestedDeferreds(100_000));
});

// One table, as every benchmark prints: ours, the peer measured in the same run, and ours / it.
afterAll(() => {
  const ms = (name: string): number => Number(median(name).toFixed(2));
  const ours = median(DEFERRED_1M);
  printTable(
    'Deferred chains beside Promise chains, medians of this run, milliseconds',
    [
      { program: `ours: ${DEFERRED_1M}`, 'ms (median)': ms(DEFERRED_1M), 'ours / this': ratio(ours, ours) },
      { program: PROMISE_1M, 'ms (median)': ms(PROMISE_1M), 'ours / this': ratio(ours, median(PROMISE_1M)) },
      { program: `ours: ${DEFERRED_100K}`, 'ms (median)': ms(DEFERRED_100K), 'ours / this': '-' },
      { program: `ours: ${NESTED}`, 'ms (median)': ms(NESTED), 'ours / this': '-' },
    ],
    [`linearity: Deferred 1M / (10 x Deferred 100k) = ${ratio(ours, 10 * median(DEFERRED_100K))}`, loadNote()],
  );
});
