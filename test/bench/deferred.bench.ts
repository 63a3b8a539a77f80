// Benchmark for issue 4 (its figures are charted in chapter 20): Deferred chains against Promise
// chains, linearity, and deeply nested Deferreds. Run: npx vitest bench --run test/bench
import { afterAll, bench, describe } from 'vitest';
import { Deferred } from '../../lib/defer/index';

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

afterAll(() => {
  const table = [
    {
      measure: 'Promise chain 1M / Deferred chain 1M (speed-up)',
      value: (median(PROMISE_1M) / median(DEFERRED_1M)).toFixed(1),
      target: '>= 20',
    },
    {
      measure: 'Deferred 1M / (10 x Deferred 100k) (linearity)',
      value: (median(DEFERRED_1M) / (10 * median(DEFERRED_100K))).toFixed(2),
      target: '<= 1.5',
    },
    { measure: '100,000 nested Deferreds (seconds)', value: (median(NESTED) / 1000).toFixed(4), target: '< 0.1' },
  ];
  const medians = [DEFERRED_1M, DEFERRED_100K, PROMISE_1M, NESTED].map((name) => `${name}: ${median(name).toFixed(2)} ms`);
  console.log(`\nDeferred benchmark, medians of this run:\n  ${medians.join('\n  ')}`);
  console.table(table);
});
