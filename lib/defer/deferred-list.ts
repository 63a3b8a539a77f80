// Chapter 18 (DeferredList and gatherResults). Tests: test/defer/deferred-list.test.ts.
import { Deferred } from './deferred';
import { FirstError } from './errors';
import { Failure, toFailure } from './failure';
import { logError } from '../log/index';

/** One entry of a DeferredList's result: `[true, value]` or `[false, failure]`. */
export type DeferredListEntry<T> = [success: true, value: T] | [success: false, failure: Failure];

/** Python's keyword arguments of `DeferredList`. */
export interface DeferredListOptions {
  /** Fire with `[value, index]` as soon as one Deferred succeeds (an empty list never fires). */
  fireOnOneCallback?: boolean;
  /** Errback with a `FirstError` as soon as one Deferred fails. */
  fireOnOneErrback?: boolean;
  /** After it is recorded, replace each failure in the given Deferreds by `undefined`. */
  consumeErrors?: boolean;
}

/**
 * Waits for several Deferreds, as Twisted's `DeferredList`. By default it fires, once all have
 * fired, with one `[success, result]` entry a Deferred, in the order given (an empty list fires
 * at once with `[]`). With `fireOnOneCallback` the result is `[value, index]` instead: cast it.
 *
 * It works by adding a step to each Deferred, so steps added before it change what it sees,
 * and the result it leaves in each (the same one, or `undefined` for a consumed failure) is
 * what later steps see. Cancelling it cancels every Deferred in the list that has not fired.
 */
export class DeferredList<T = unknown> extends Deferred<DeferredListEntry<T>[]> {
  /** The entries as they arrive; a slot is `undefined` until its Deferred fires. */
  readonly resultList: (DeferredListEntry<T> | undefined)[];
  /** How many of the Deferreds have fired. */
  finishedCount = 0;
  readonly fireOnOneCallback: boolean;
  readonly fireOnOneErrback: boolean;
  readonly consumeErrors: boolean;
  readonly #deferreds: Deferred<T>[];

  /**
   * @param deferreds - the Deferreds to wait for.
   * @param options - `fireOnOneCallback`, `fireOnOneErrback`, `consumeErrors` (all false).
   */
  constructor(deferreds: Iterable<Deferred<T>>, options: DeferredListOptions = {}) {
    super();
    this.#deferreds = [...deferreds];
    this.resultList = new Array<DeferredListEntry<T> | undefined>(this.#deferreds.length).fill(undefined);
    this.fireOnOneCallback = options.fireOnOneCallback ?? false;
    this.fireOnOneErrback = options.fireOnOneErrback ?? false;
    this.consumeErrors = options.consumeErrors ?? false;
    if (this.#deferreds.length === 0 && !this.fireOnOneCallback) this.callback([]);
    this.#deferreds.forEach((deferred, index) => {
      deferred.addCallbacks(
        (value: T) => this.#record(index, [true, value]),
        (failure: Failure) => this.#record(index, [false, failure]),
      );
    });
  }

  /**
   * Cancel every Deferred in the list, unless this one has fired. A canceller that throws is
   * logged and the others are still cancelled.
   */
  override cancel(): void {
    if (this.called) return;
    for (const deferred of this.#deferreds) {
      try {
        deferred.cancel();
      } catch (error) {
        logError(`Exception raised from user supplied canceller\n${toFailure(error).getTraceback()}`);
      }
    }
  }

  #record(index: number, entry: DeferredListEntry<T>): unknown {
    this.resultList[index] = entry;
    this.finishedCount++;
    const [success, value] = entry;
    if (!this.called) {
      if (success && this.fireOnOneCallback) {
        this.callback([value, index] as never);
      } else if (!success && this.fireOnOneErrback) {
        this.errback(new FirstError(value as Failure, index));
      } else if (this.finishedCount === this.resultList.length) {
        this.callback(this.resultList as DeferredListEntry<T>[]);
      }
    }
    return !success && this.consumeErrors ? undefined : value;
  }
}

/**
 * The results of several Deferreds, as one list in their order; fails with a `FirstError`
 * (whose `subFailure` is the failure) as soon as one of them fails. Cancelling it cancels them.
 * @param deferreds - the Deferreds to wait for.
 * @param options - `consumeErrors`: replace each failure in the given Deferreds by `undefined`.
 * @returns a Deferred of the list of results.
 */
export function gatherResults<T>(
  deferreds: Iterable<Deferred<T>>,
  options: { consumeErrors?: boolean } = {},
): Deferred<T[]> {
  const list = new DeferredList(deferreds, { fireOnOneErrback: true, consumeErrors: options.consumeErrors });
  return list.addCallback((entries) => entries.map((entry) => entry[1] as T));
}
