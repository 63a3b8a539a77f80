// Chapter 09 (Deferred chains: what a chain is made of). Tests: test/defer/deferred.test.ts.
import type { Failure } from './failure';

/** What a callback may return: a value, a Failure (switches to the errbacks), or something to wait for. */
export type CallbackResult<U> = U | PromiseLike<U> | Failure;

/** Options of `addCallbacks`: the extra arguments of each side (Python's callbackArgs/errbackArgs). */
export interface AddCallbacksOptions<A extends unknown[], B extends unknown[]> {
  callbackArgs?: A;
  errbackArgs?: B;
}

/** A callback or errback as a step stores it: the result (or Failure) first, then its arguments. */
export type AnyCallback = (result: unknown, ...args: unknown[]) => unknown;

/** The arguments of a step that has none (shared: most steps have none). */
export const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * One step of a chain: a callback and an errback, each with its extra arguments. Exactly one
 * of them runs, the errback if the result is a Failure; a null one lets the result pass on.
 */
export class Step {
  constructor(
    readonly callback: AnyCallback | null,
    readonly callbackArgs: readonly unknown[],
    readonly errback: AnyCallback | null,
    readonly errbackArgs: readonly unknown[],
  ) {}
}
