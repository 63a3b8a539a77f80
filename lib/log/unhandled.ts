// Chapter 07 (Deferred interlude: unhandled errors). Tests: test/defer/unhandled.test.ts.
import { logError } from './error-log';

/** What is logged for an unhandled error: a Failure, seen from below the Deferred's floor. */
export interface Traceable {
  getTraceback(): string;
}

// Held value: the Failure alone, never the Deferred, or the Deferred could not be collected.
const registry = new FinalizationRegistry<Traceable>((failure) => {
  logError(`Unhandled error in Deferred:\n${failure.getTraceback()}`);
});

/**
 * Log `failure` if `owner` is garbage-collected before `forget(owner)` is called.
 * An owner watches one failure at a time: call `forget` before watching another.
 */
export function watch(owner: object, failure: Traceable): void {
  registry.register(owner, failure, owner);
}

/** Stop watching `owner`'s failure: it has been handled or passed on. */
export function forget(owner: object): void {
  registry.unregister(owner);
}
