// Chapters 02-03: the longest wait one timer can hold, and waits longer than that
// (tested in test/time/timer.test.ts).

/** The longest delay a Node timer holds (2^31 - 1 ms, about 24.8 days), in seconds. */
export const MAX_TIMER_SECONDS = (2 ** 31 - 1) / 1000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `setTimeout` for any delay: a longer one than a timer holds (which Node would fire at once,
 * with a warning) is waited in parts. The reactors wait this way, so a `callLater` of a month
 * waits a month.
 * @returns a function that cancels the wait.
 */
export function setLongTimeout(fn: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout;
  const arm = (left: number): void => {
    timer = left > MAX_TIMER_MS ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS) : setTimeout(fn, left);
  };
  arm(ms);
  return () => clearTimeout(timer);
}
