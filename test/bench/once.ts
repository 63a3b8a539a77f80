// Whole-scenario benchmarks measure one run and print what it measured; tinybench may call a
// bench function more than once (warm-up), so each scenario runs once and later calls reuse it.
export function once<T>(scenario: () => T): () => T {
  let result: { value: T } | undefined;
  return () => (result ??= { value: scenario() }).value;
}

/** tinybench options for a scenario that runs once. */
export const ONCE = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };
