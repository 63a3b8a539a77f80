// Chapters 03 and 07: the logging floor, below the Deferred and the reactor (as twisted.logger).
// Tests: test/log/.
export { logError, setErrorLogger } from './error-log';
export type { ErrorLogger } from './error-log';
export { describeError, stackOf } from './describe-error';
export { forget, watch } from './unhandled';
export type { Traceable } from './unhandled';
export { addObserver, isLogging, msg, removeObserver } from './msg';
export type { LogObserver } from './msg';
