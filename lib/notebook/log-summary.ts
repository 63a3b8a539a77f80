// Chapters 02-06: a long log shown in a few lines (tested in test/notebook/log-summary.test.ts).

/** Where a client writes its lines, and how to print them afterwards, summarised. */
export interface LogSummary {
  /** Pass this as a program's `log`: it keeps every line. */
  readonly log: (line: string) => void;
  /** Every line logged so far. */
  readonly lines: readonly string[];
  /** The first `head` and last `tail` lines, with a count of those in between. */
  summary(): string;
  /** Prints `summary()`. */
  print(): void;
}

/**
 * Collects a log (a client's "got 30 bytes" lines) to print it summarised: the first `head`
 * lines, `... N more lines ...`, then the last `tail`. A chapter whose point is the interleaving
 * draws it as a figure instead.
 */
export function summarisedLog(head = 4, tail = 4): LogSummary {
  const lines: string[] = [];
  const summary = (): string => {
    if (lines.length <= head + tail + 1) return lines.join('\n');
    const hidden = lines.length - head - tail;
    return [...lines.slice(0, head), `... ${hidden} more lines ...`, ...lines.slice(-tail)].join('\n');
  };
  return {
    log: (line) => lines.push(line),
    lines,
    summary,
    print: () => console.log(summary()),
  };
}
