// Chapter 19 (cancellation and timeouts): the steps behind `Deferred.addTimeout`.
// Tests: test/defer/timeout.test.ts.
import type { IReactorTime } from '../time/index';
import { CancelledError, TimeoutError } from './errors';
import { Failure } from './failure';

type Through = (result: unknown) => unknown;

/** addTimeout's default: a CancelledError becomes a TimeoutError; anything else is kept. */
export function cancelledToTimedOut(result: unknown, seconds: number): unknown {
  if (result instanceof Failure) {
    result.trap(CancelledError);
    throw new TimeoutError(seconds, 'Deferred');
  }
  return result;
}

/**
 * The two steps `addTimeout` adds, with the timer they share: `cancel` is called `seconds` from
 * now unless the second step (the chain got there first) stops the timer. The first step hands a
 * result that the timeout caused to `onTimeoutCancel`; both pass any other result on.
 */
export function timeoutSteps(
  seconds: number,
  clock: IReactorTime,
  cancel: () => void,
  onTimeoutCancel: (result: unknown, seconds: number) => unknown,
): [afterTimeout: Through, stopTimer: Through] {
  let timedOut = false;
  const call = clock.callLater(seconds, () => {
    timedOut = true;
    cancel();
  });
  const afterTimeout: Through = (result) => (timedOut ? onTimeoutCancel(result, seconds) : result);
  const stopTimer: Through = (result) => {
    if (call.active()) call.cancel();
    return result;
  };
  return [afterTimeout, stopTimer];
}
