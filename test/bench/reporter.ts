// `npm run bench`'s reporter. Each benchmark runs its scenario once and prints its own table: ours,
// the peers measured in the same run, the ratio. Vitest's benchmark table (operations per second
// over repeated calls) and its summary ("1.3x faster than ...") would rank those scenarios against
// each other, which measure different things: this reporter leaves both out and keeps the rest of
// vitest's default report (each file's outcome, errors, the totals).
import { DefaultReporter } from 'vitest/node';

export default class ScenarioReporter extends DefaultReporter {
  override reportBenchmarkSummary(): void {}
}
