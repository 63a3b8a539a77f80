// What trial gives Part 15's tests, for vitest (chapter 15): a reactor running during each test
// and checked clean after it, and assertFailure. A test that returns a Deferred is awaited by the
// runner, so a test can return `assertFailure(d, ConnectionRefusedError)` as a trial test does.
// Tests: test/poetry/trial-style.test.ts.
import { afterEach, beforeEach } from 'vitest';
import type { Deferred } from '../../lib/defer/deferred';
import type { ErrorType, Failure } from '../../lib/defer/failure';
import { EpollReactor } from '../../lib/reactor/epoll-reactor';
import { expectClean } from './reactor';

/**
 * What trial's runner does around every test, as hooks of the calling file or describe block: a
 * fresh reactor runs while the test does (so the Deferreds it returns can fire), and afterwards
 * it is stopped and must be clean, nothing left watched or scheduled (trial's dirty-reactor check).
 * @returns a function giving the reactor of the test under way.
 */
export function reactorPerTest(): () => EpollReactor {
  let reactor: EpollReactor | undefined;
  let running: Promise<void> = Promise.resolve();
  beforeEach(() => {
    reactor = new EpollReactor();
    running = reactor.run();
  });
  afterEach(async () => {
    const done = reactor as EpollReactor;
    done.stop();
    await running;
    expectClean(done);
  });
  return () => {
    if (reactor === undefined) throw new Error('reactorPerTest: no test is running');
    return reactor;
  };
}

/** The error assertFailure fails a test with (trial's `failureException`). */
export class FailureAssertionError extends Error {
  override name = 'FailureAssertionError';
}

const nameOf = (type: ErrorType): string => (type as { name?: string }).name ?? String(type);

/**
 * Asserts that `d` fails with one of `errorTypes`, as trial's `TestCase.assertFailure` does.
 * @param d - the Deferred under test; its chain gets the check as its next step.
 * @param errorTypes - the error classes that count as the expected failure (at least one).
 * @returns `d`, which now fires with the error when it failed as expected, and fails with a
 *   FailureAssertionError (naming the result or the other failure) when it did not.
 * @throws TypeError when no error type is given.
 */
export function assertFailure<T>(d: Deferred<T>, ...errorTypes: ErrorType[]): Deferred<unknown> {
  if (errorTypes.length === 0) {
    throw new TypeError('Expected `errorTypes` to name at least one error class, got `` (none)');
  }
  const expected = errorTypes.map(nameOf).join(' or ');
  return d.addCallbacks(
    (result): never => {
      throw new FailureAssertionError(`Expected a failure with ${expected}, got the result ${JSON.stringify(result) ?? String(result)}`);
    },
    (failure: Failure) => {
      if (failure.check(...errorTypes)) return failure.value;
      throw new FailureAssertionError(`Expected a failure with ${expected}, got ${String(failure)}`);
    },
  );
}
