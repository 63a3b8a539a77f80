// Chapter 03 (the reactor logs what it catches) and 07 (unhandled errors). Tests: test/log/error-log.test.ts.

/** Where the reactor and the Deferred report errors that nobody else will see. */
export type ErrorLogger = (message: string) => void;

const consoleLogger: ErrorLogger = (message) => console.error(message);
let current: ErrorLogger = consoleLogger;

/**
 * Replace the error logger (tests capture its lines; notebooks may print them elsewhere).
 * @param logger - the new logger; `undefined` restores the default, `console.error`.
 * @returns the logger that was in place, so a caller can put it back.
 */
export function setErrorLogger(logger: ErrorLogger | undefined): ErrorLogger {
  const previous = current;
  current = logger ?? consoleLogger;
  return previous;
}

/** Send one message to the current error logger. */
export function logError(message: string): void {
  current(message);
}
