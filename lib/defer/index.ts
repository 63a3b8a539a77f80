// Chapters 07-20: the Deferred and its helpers. Tests: test/defer/.
export { Deferred } from './deferred';
export type { AddCallbacksOptions, CallbackResult } from './step';
export { Failure } from './failure';
export type { ErrorType } from './failure';
export { succeed, fail, maybeDeferred } from './maybe-deferred';
export { DeferredList, gatherResults } from './deferred-list';
export type { DeferredListEntry, DeferredListOptions } from './deferred-list';
export { inlineCallbacks, ensureDeferred } from './inline-callbacks';
export type { InlineGenerator } from './inline-callbacks';
export {
  AlreadyCalledError,
  CancelledError,
  CircularChainError,
  FirstError,
  NotACoroutineError,
  NotPausedError,
  TimeoutError,
} from './errors';
export { setErrorLogger } from '../log/index';
export type { ErrorLogger } from '../log/index';
