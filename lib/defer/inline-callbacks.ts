// Chapter 17 (inlineCallbacks and ensureDeferred). Tests: test/defer/inline-callbacks.test.ts.
import { isThenable } from './helpers';
import { Deferred } from './deferred';
import { NotACoroutineError } from './errors';
import { Failure } from './failure';

/** A generator driven by `inlineCallbacks`: it yields what it waits for and returns the result. */
export type InlineGenerator<R> = Generator<unknown, R, unknown>;

// What a running generator is doing, for cancel(): the Deferred to fire and the one it waits on.
interface Status<R> {
  deferred: Deferred<R>;
  waitingOn?: Deferred<unknown>;
}

/**
 * Write Deferred code as a straight line, as Twisted's `@inlineCallbacks`: wraps a generator
 * function into a function that returns a Deferred of the generator's return value.
 *
 * `yield` a Deferred (or a promise) to wait for it: the generator resumes with its result, or
 * the failure's value is thrown at the `yield`. Any other yielded value comes straight back
 * (a yielded Failure is thrown). A waited-on Deferred is consumed: its result is `undefined`
 * afterwards, as in Twisted. Returning a Deferred or a promise makes the result wait for it
 * (Twisted refuses to return a Deferred; here it behaves as an async function's return does).
 *
 * Cancelling the returned Deferred cancels the one the generator waits on; the generator sees
 * the `CancelledError` at its `yield` and may catch it and go on, and the returned Deferred
 * then fires with what the generator finally returns or throws.
 * @param fn - a generator function.
 * @returns a function with `fn`'s parameters that runs it and returns a Deferred.
 * @throws TypeError (from the returned function) when `fn` does not return a generator.
 */
export function inlineCallbacks<A extends unknown[], R>(
  fn: (...args: A) => InlineGenerator<R>,
): (...args: A) => Deferred<Awaited<R>> {
  return function (this: unknown, ...args: A) {
    const gen: unknown = fn.apply(this, args);
    if (!isGenerator(gen)) {
      const name = fn.name || 'its function';
      throw new TypeError(`inlineCallbacks requires ${name} to produce a generator; instead got ${String(gen)}`);
    }
    return runGenerator(gen as InlineGenerator<Awaited<R>>);
  };
}

/**
 * Get a Deferred for a running computation, as Twisted's `ensureDeferred`: a Deferred is
 * returned as it is, a promise (what an async function returns) is adapted, a generator is
 * run as `inlineCallbacks` would run it.
 * @param coroutine - a Deferred, a promise or a generator object.
 * @returns a Deferred of its result.
 * @throws NotACoroutineError for anything else.
 */
export function ensureDeferred<T>(coroutine: PromiseLike<T> | InlineGenerator<T>): Deferred<Awaited<T>> {
  if (isThenable(coroutine)) return Deferred.fromPromise(coroutine as PromiseLike<Awaited<T>>);
  if (isGenerator(coroutine)) return runGenerator(coroutine as InlineGenerator<Awaited<T>>);
  throw new NotACoroutineError(`${String(coroutine)} is not a coroutine or a Deferred`);
}

function isGenerator(value: unknown): value is InlineGenerator<unknown> {
  const gen = value as Partial<InlineGenerator<unknown>> | null | undefined;
  return typeof gen?.next === 'function' && typeof gen.throw === 'function' && typeof gen.return === 'function';
}

// What the Deferreds given out are fired with: callback() refuses a Deferred, so the value comes
// in a box, and their first step unpacks it. A thenable returned by that step is waited on.
interface Outcome {
  value: unknown;
}

function unpack(outcome: Outcome): unknown {
  return outcome.value;
}

function runGenerator<R>(gen: InlineGenerator<R>): Deferred<R> {
  const newDeferred = () => new Deferred<Outcome>(cancel).addCallback(unpack) as Deferred<R>;
  const deferred = newDeferred();
  const status: Status<R> = { deferred };
  // Cancel what the generator waits on; meanwhile the cancelled Deferred follows a fresh one
  // that the generator fires when it ends (it may catch the CancelledError and go on).
  function cancel(cancelled: Deferred<Outcome>): void {
    status.deferred = newDeferred();
    cancelled.callback({ value: status.deferred });
    status.waitingOn?.cancel();
  }
  step(gen, status, undefined);
  return deferred;
}

// Run the generator until it waits on a Deferred that has no result yet, or ends. Deferreds
// that already have a result are looped over, not recursed into.
function step<R>(gen: InlineGenerator<R>, status: Status<R>, sent: unknown): void {
  for (;;) {
    let next: IteratorResult<unknown, R>;
    try {
      next = sent instanceof Failure ? gen.throw(sent.value) : gen.next(sent);
    } catch (error) {
      status.deferred.errback(error);
      return;
    }
    if (next.done) {
      (status.deferred as Deferred<unknown>).callback({ value: next.value } satisfies Outcome);
      return;
    }
    if (!isThenable(next.value)) {
      sent = next.value;
      continue;
    }
    const awaited = Deferred.fromPromise(next.value);
    let waiting = true; // still inside this loop: a result now is looped over, not recursed into
    let fired = false;
    awaited.addBoth((result) => {
      if (waiting) {
        fired = true;
        sent = result;
      } else {
        step(gen, status, result);
      }
    });
    if (!fired) {
      waiting = false;
      status.waitingOn = awaited;
      return;
    }
  }
}
