// Chapter 09 (Deferred chains): where a Deferred keeps the steps it has not run yet (any kind
// of item: the queue does not look at them).
// Tests: test/defer/step-queue.test.ts, and every chain in test/defer.
// Steps are kept in arrays of at most this many: one huge array is copied each time it grows
// and, past ~128 KiB, is allocated outside the young generation (long chains ran at half speed).
const SEGMENT = 4096;

/**
 * The steps of a chain not run yet, first in, first out, O(1) each way: `shift` moves an index
 * instead of moving the array's elements (Array's own `shift` copies them all).
 */
export class StepQueue<T> {
  // The segment being read, and the index of its next step.
  #head: T[];
  #index = 0;
  // The segment being filled; full segments between the two wait in #middle (made when needed:
  // most queues hold a step or two).
  #tail: T[];
  #middle: T[][] | undefined;
  #middleIndex = 0;

  /** @param steps - the first step or steps (a queue is made when there is one to keep). */
  constructor(...steps: [T, ...T[]]) {
    this.#head = this.#tail = steps;
  }

  /** Add `step` after the others. */
  push(step: T): void {
    if (this.#tail.length < SEGMENT) {
      this.#tail.push(step);
      return;
    }
    if (this.#tail !== this.#head) (this.#middle ??= []).push(this.#tail);
    this.#tail = [step];
  }

  /** @returns the first step, taken out of the queue, or undefined when it is empty. */
  shift(): T | undefined {
    if (this.#index < this.#head.length) return this.#head[this.#index++];
    if (this.#head === this.#tail) return undefined;
    const middle = this.#middle;
    this.#head = middle !== undefined && this.#middleIndex < middle.length ? middle[this.#middleIndex++] : this.#tail;
    this.#index = 1;
    return this.#head[0];
  }

  /** @returns whether every step has been taken. */
  isEmpty(): boolean {
    return this.#index >= this.#head.length && this.#head === this.#tail;
  }
}
