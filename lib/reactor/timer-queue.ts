// Chapter 03: the reactor's pending timed calls, a binary heap (tested in test/reactor/select-reactor.test.ts).
import { checkSeconds, DelayedCall, type DelayedCallOwner } from './delayed-call';

interface Entry {
  time: number;
  // Scheduling order, so calls due at the same time run in the order they were made.
  seq: number;
  call: DelayedCall;
}

/**
 * The timed calls of a reactor, earliest first. A heap, so scheduling and running cost
 * O(log n) with 10,000 clients' timers pending. A cancelled or rescheduled call leaves its old
 * entry behind, skipped when it comes up (cheaper than finding it in the heap).
 */
export class TimerQueue {
  readonly #heap: Entry[] = [];
  readonly #now: () => number;
  #seq = 0;
  #live = 0;
  readonly #owner: DelayedCallOwner;

  /**
   * @param now - the reactor's clock, in seconds.
   * @param changed - told when a call is added or moved, so a waiting reactor can wake up.
   */
  constructor(now: () => number, changed: () => void) {
    this.#now = now;
    this.#owner = {
      seconds: now,
      cancelled: () => {
        this.#live--;
      },
      rescheduled: (call) => {
        this.#push(call);
        changed();
      },
    };
  }

  /**
   * Schedules `fn(...args)` in `seconds`.
   * @throws TypeError when `seconds` is negative or not a number.
   */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, args: A): DelayedCall {
    checkSeconds('seconds', seconds);
    const call = new DelayedCall(this.#now() + seconds, fn as (...args: never[]) => unknown, args, this.#owner);
    this.#live++;
    this.#push(call);
    return call;
  }

  /** The pending calls, earliest first. */
  pending(): DelayedCall[] {
    const entries = this.#heap.filter((entry) => this.#current(entry)).sort((a, b) => a.time - b.time || a.seq - b.seq);
    return [...new Set(entries.map((entry) => entry.call))];
  }

  /** How many calls are pending. */
  get size(): number {
    return this.#live;
  }

  /** Seconds until the next call is due (0 if one is due now), or undefined when none is pending. */
  timeout(): number | undefined {
    this.#dropStale();
    const first = this.#heap[0];
    return first === undefined ? undefined : Math.max(0, first.time - this.#now());
  }

  /**
   * Takes the calls due now, in order. Calls they schedule, even for now, wait for the next
   * turn, as Twisted's `runUntilCurrent` does.
   */
  takeDue(): readonly DelayedCall[] {
    // A server with no timed call pending takes this path every turn: no clock, no array.
    if (this.#heap.length === 0) return NONE;
    const now = this.#now();
    const due: DelayedCall[] = [];
    for (;;) {
      this.#dropStale();
      const first = this.#heap[0];
      if (first === undefined || first.time > now) break;
      this.#pop();
      this.#live--;
      due.push(first.call);
    }
    return due;
  }

  #current(entry: Entry): boolean {
    return entry.call.active() && entry.call.getTime() === entry.time;
  }

  // A moved call has a newer entry; a stale one is simply dropped. Entries of calls that were
  // moved back to their old time have equal times: the first one popped is taken as current,
  // and the second is then inactive (called) or current again only if re-moved.
  #dropStale(): void {
    while (this.#heap.length > 0 && !this.#current(this.#heap[0])) this.#pop();
  }

  #push(call: DelayedCall): void {
    const heap = this.#heap;
    const entry = { time: call.getTime(), seq: this.#seq++, call };
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
}

const NONE: readonly DelayedCall[] = [];

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
