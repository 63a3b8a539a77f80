// Chapters 03 (the reactor's error log) and 07 (Failure). Tests: test/log/describe-error.test.ts.

/**
 * A thrown value in one line: an Error's message, anything else as `String` shows it (so a
 * thrown string prints itself, where `(error as Error).message` would print `undefined`).
 * @param error - whatever was thrown or passed to an errback.
 * @returns the message; never throws, even for a value whose `toString` does.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/**
 * A thrown value for a log, with its stack: an Error's `stack` (whose first line is
 * `Name: message`), anything else as `describeError` shows it.
 * @param error - whatever was thrown.
 * @returns the text, never throwing.
 */
export function stackOf(error: unknown): string {
  if (error instanceof Error && typeof error.stack === 'string') return error.stack;
  return error instanceof Error ? `${error.name}: ${error.message}` : describeError(error);
}
