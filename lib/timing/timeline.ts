// Chapter 01: a record of what each task did when, for the timeline figures
// (tested in test/timing/timeline.test.ts).
import { type Seconds, wallSeconds } from './stopwatch';

/** What a task was doing: running code, waiting (blocked or idle), or receiving a chunk of data. */
export type EntryKind = 'run' | 'wait' | 'chunk';

/** One thing a task did, in seconds since the timeline's origin. A chunk has `start === end`. */
export interface TimelineEntry {
  readonly task: string;
  /** The row it is drawn in: the thread that did it, or the task itself. */
  readonly lane: string;
  readonly kind: EntryKind;
  readonly start: number;
  readonly end: number;
  readonly bytes?: number;
}

/** Where a span or chunk is drawn and what it carried. */
export interface EntryOptions {
  lane?: string;
  bytes?: number;
}

/**
 * Collects what tasks did and when, measured from one origin. Give it the clock the program
 * runs on (`wallSeconds` by default, a `Clock`'s `seconds` in tests); entries recorded elsewhere
 * (a worker thread) can be added with absolute times through `addSpan`.
 */
export class Timeline {
  readonly #now: Seconds;
  readonly #entries: TimelineEntry[] = [];
  /** The absolute time (in the clock's seconds) that counts as 0. */
  readonly origin: number;

  constructor(now: Seconds = wallSeconds) {
    this.#now = now;
    this.origin = now();
  }

  /** Seconds since the origin. */
  now(): number {
    return this.#now() - this.origin;
  }

  /** Everything recorded, in the order it was recorded. */
  get entries(): readonly TimelineEntry[] {
    return this.#entries;
  }

  /** The time of the last thing recorded, or 0. */
  get duration(): number {
    return this.#entries.reduce((max, entry) => Math.max(max, entry.end), 0);
  }

  /** Records that `task` was `kind` from `start` to `end`, absolute times of this timeline's clock. */
  addSpan(task: string, kind: 'run' | 'wait', start: number, end: number, options: EntryOptions = {}): void {
    this.#add({ task, lane: options.lane ?? task, kind, start: start - this.origin, end: end - this.origin });
  }

  /** Runs `fn` and records it as a span of `task`. */
  record<T>(task: string, kind: 'run' | 'wait', fn: () => T, options: EntryOptions = {}): T {
    const start = this.#now();
    try {
      return fn();
    } finally {
      this.addSpan(task, kind, start, this.#now(), options);
    }
  }

  /**
   * Starts a span of `task` now, for work that ends later (a download, a request).
   * @returns the function to call when it ends: it records the span from now until then.
   */
  begin(task: string, kind: 'run' | 'wait', options: EntryOptions = {}): () => void {
    const start = this.#now();
    return () => this.addSpan(task, kind, start, this.#now(), options);
  }

  /** Records that `task` received a chunk of `bytes` now. */
  chunk(task: string, bytes: number, options: EntryOptions = {}): void {
    const at = this.now();
    this.#add({ task, lane: options.lane ?? task, kind: 'chunk', start: at, end: at, bytes });
  }

  /** The entries of one task. */
  entriesOf(task: string): TimelineEntry[] {
    return this.#entries.filter((entry) => entry.task === task);
  }

  #add(entry: TimelineEntry): void {
    if (!(entry.end >= entry.start)) {
      throw new TypeError(`Expected \`end\` >= \`start\`, got \`${entry.start}\`..\`${entry.end}\``);
    }
    this.#entries.push(entry);
  }
}
