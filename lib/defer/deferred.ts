// Chapters 07 (Deferred interlude), 09 (chains: the run loop), 13 (callbacks returning Deferreds), 19 (cancellation).
// Tests: test/defer/deferred.test.ts, chaining.test.ts, cancel.test.ts, timeout.test.ts, promise.test.ts.
import type { IReactorTime } from '../time/index';
import { AlreadyCalledError, CancelledError, CircularChainError, NotPausedError } from './errors';
import { Failure, toFailure } from './failure';
import { checkFunction, describe, isThenable, settleWith } from './helpers';
import { type AddCallbacksOptions, type AnyCallback, type CallbackResult, NO_ARGS, Step } from './step';
import { StepQueue } from './step-queue';
import { cancelledToTimedOut, timeoutSteps } from './timeout';
import { forget, watch } from '../log/index';

// The result of a Deferred that has not fired yet (`undefined` is a fine result).
const NO_RESULT: unique symbol = Symbol('NO_RESULT');
// Module-local bindings for the hot loop: bundlers and test runners turn an imported name into
// a property read on the module object (a getter call), which would cost on every step.
const FailureClass = Failure;
const StepClass = Step;
const isThenableValue = isThenable;

// A step as stored: a Step; a bare function for a callback alone (no record to allocate: a
// million of them ran several times slower); or a Deferred waiting on this one (Twisted's
// continuation: "hand your result over to me").
type StoredStep = Step | AnyCallback | Deferred;

/**
 * A result that is not there yet, with Twisted's semantics (`twisted.internet.defer.Deferred`).
 *
 * Callbacks run synchronously, in order, as soon as the Deferred has a result: at `callback()`
 * time, or at `addCallback()` time when it has already fired. A callback that throws, or returns
 * a Failure, sends the chain to the next errback; an errback that returns a value sends it back
 * to the callbacks. A callback that returns a Deferred pauses the chain until that one fires and
 * goes on with its result (the inner Deferred is left with `undefined`, as Twisted leaves None).
 *
 * Unlike Twisted, a callback that returns any other thenable (a Promise) pauses the chain too,
 * as in a `.then()` chain, until it settles (a microtask later). A thenable passed to
 * `callback()` is a plain value. All steps run in one loop, `#runCallbacks`: iterative and O(1)
 * per step, so chains of any length and depth are fine.
 *
 * A Deferred is awaitable (see `then`). One collected while its result is an unhandled
 * Failure is logged: `Unhandled error in Deferred:` and the traceback (lib/log/unhandled.ts).
 */
export class Deferred<T = unknown> implements PromiseLike<T> {
  // The steps not run yet, in the order added (none yet: most Deferreds have few steps, or none).
  #steps: StepQueue<StoredStep> | undefined;
  #one: StoredStep | undefined; // a lone step, kept without a queue (only while #steps is unset)
  #result: unknown = NO_RESULT;
  // Unmatched pause() calls, plus one while waiting on another Deferred.
  #paused = 0;
  // True while one of this Deferred's own callbacks runs: stops a re-entrant loop.
  #running = false;
  // Set by cancel() without a canceller: the operation's own late callback/errback is dropped.
  #suppressAlreadyCalled = false;
  // The Failure registered for the unhandled-error log, if any.
  #watched: Failure | undefined;
  // Typed without T so that a Deferred<T> is a Deferred<unknown> (T only flows out).
  readonly #canceller: ((deferred: never) => void) | undefined;

  /**
   * @param canceller - called by `cancel()` with this Deferred, to stop the operation; it may
   *   fire the Deferred itself. If it does not (or there is none), `cancel()` errbacks with a
   *   `CancelledError`. Without a canceller, the operation's own later `callback` or `errback`
   *   is then silently dropped (once), since it cannot be stopped.
   */
  constructor(canceller?: (deferred: Deferred<T>) => void) {
    this.#canceller = canceller;
  }

  /** Whether `callback` or `errback` has been called. */
  get called(): boolean {
    return this.#result !== NO_RESULT;
  }

  /** How many `pause()` calls are unmatched (waiting on another Deferred counts as one). */
  get paused(): number {
    return this.#paused;
  }

  /** The current result: undefined before firing, a Failure, the Deferred it waits on, or a value. */
  get result(): unknown {
    return this.#result === NO_RESULT ? undefined : this.#result;
  }

  /**
   * Add a callback and an errback as one step of the chain: exactly one of them runs.
   * @param callback - called with the result (and `callbackArgs`).
   * @param errback - called with the Failure (and `errbackArgs`); null passes the Failure on.
   * @param options - `callbackArgs` and `errbackArgs`, extra arguments for each side.
   * @returns this Deferred, typed with the step's result.
   * @throws TypeError when `callback` or `errback` is not a function.
   */
  addCallbacks<U, V = never, A extends unknown[] = [], B extends unknown[] = []>(
    callback: (result: T, ...args: A) => CallbackResult<U>,
    errback?: ((failure: Failure, ...args: B) => CallbackResult<V>) | null,
    options: AddCallbacksOptions<A, B> = {},
  ): Deferred<U | V> {
    checkFunction('callback', callback);
    if (errback != null) checkFunction('errback', errback);
    const { callbackArgs = NO_ARGS, errbackArgs = NO_ARGS } = options;
    return this.#add(
      new Step(callback as AnyCallback, callbackArgs, (errback ?? null) as AnyCallback | null, errbackArgs),
    );
  }

  /**
   * Add a callback; a Failure passes it by.
   * @param callback - called with the result, then `args`.
   * @returns this Deferred, typed with the callback's result.
   * @throws TypeError when `callback` is not a function.
   */
  addCallback<U, A extends unknown[] = []>(
    callback: (result: T, ...args: A) => CallbackResult<U>,
    ...args: A
  ): Deferred<U>;
  // `arguments`, not a rest parameter: no array is allocated for a callback without arguments.
  addCallback(callback: (...args: never[]) => unknown): Deferred<unknown> {
    checkFunction('callback', callback);
    if (arguments.length === 1) return this.#add(callback as AnyCallback);
    const args: unknown[] = Array.prototype.slice.call(arguments, 1);
    return this.#add(new Step(callback as AnyCallback, args, null, NO_ARGS));
  }

  /**
   * Add an errback; a success result passes it by.
   * @param errback - called with the Failure, then `args`; returning a value recovers.
   * @returns this Deferred.
   * @throws TypeError when `errback` is not a function.
   */
  addErrback<U = never, A extends unknown[] = []>(
    errback: (failure: Failure, ...args: A) => CallbackResult<U>,
    ...args: A
  ): Deferred<T | U> {
    checkFunction('errback', errback);
    return this.#add(new Step(null, NO_ARGS, errback as AnyCallback, args));
  }

  /**
   * Add one function as both callback and errback (like `finally`, but it sees the result).
   * @param callback - called with the result or the Failure, then `args`.
   * @returns this Deferred, typed with the function's result.
   * @throws TypeError when `callback` is not a function.
   */
  addBoth<U, A extends unknown[] = []>(
    callback: (result: T | Failure, ...args: A) => CallbackResult<U>,
    ...args: A
  ): Deferred<U> {
    checkFunction('callback', callback);
    return this.#add(new Step(callback as AnyCallback, args, callback as AnyCallback, args));
  }

  /**
   * Fire `other` with this chain's result at this point (`addCallbacks(other.callback,
   * other.errback)`). This Deferred's result is `undefined` afterwards. Cancelling `other` does
   * not cancel this one.
   * @param other - the Deferred to fire.
   * @returns this Deferred.
   */
  chainDeferred(other: Deferred<T>): Deferred<void> {
    return this.addCallbacks((result) => other.callback(result), (failure) => other.errback(failure));
  }

  /**
   * Fire the chain with a result (a Failure starts on the errback path).
   * @param result - the result; not a Deferred (return a Deferred from a callback to chain).
   * @throws AlreadyCalledError when this Deferred has already fired.
   * @throws TypeError when `result` is a Deferred.
   */
  callback(result: T | Failure): void {
    if (result instanceof Deferred) throw new TypeError('Deferred.callback() was given a Deferred: return it from a callback to chain it');
    this.#fire(result);
  }

  /**
   * Fire the chain with a failure.
   * @param reason - a Failure, or any value (normally an Error), which is wrapped in one.
   * @throws AlreadyCalledError when this Deferred has already fired.
   */
  errback(reason: unknown): void {
    this.#fire(toFailure(reason));
  }

  /** Stop running callbacks until a matching `unpause()`; pauses nest. */
  pause(): void {
    this.#paused++;
  }

  /**
   * Undo one `pause()`; the last one runs the callbacks that are due.
   * @throws NotPausedError when the Deferred is not paused.
   */
  unpause(): void {
    if (this.#paused === 0) throw new NotPausedError();
    this.#paused--;
    if (this.#paused === 0 && this.#result !== NO_RESULT) this.#runCallbacks();
  }

  /**
   * Ask for the operation to stop. Not fired yet: call the canceller, then errback with a
   * `CancelledError` unless the canceller fired it. Waiting on another Deferred: cancel that
   * one. Fired: do nothing.
   * @throws whatever the canceller throws.
   */
  cancel(): void {
    if (this.#result === NO_RESULT) {
      const canceller = this.#canceller;
      if (canceller) canceller(this as never);
      else this.#suppressAlreadyCalled = true;
      if (this.#result === NO_RESULT) this.errback(new CancelledError('Deferred was cancelled'));
    } else if (this.#result instanceof Deferred) {
      this.#result.cancel();
    }
  }

  /**
   * Cancel this Deferred if it has not fired `seconds` from now; a cancellation by the timeout
   * becomes a `TimeoutError`. Covers the callbacks added before this call, not those after.
   * @param seconds - the time allowed.
   * @param clock - schedules the timeout (a reactor, or `Clock` in tests).
   * @param onTimeoutCancel - called with the result and `seconds` when the timeout cancelled
   *   the Deferred; its return (or throw) becomes the result. By default a `CancelledError`
   *   becomes a `TimeoutError` and any other result is kept.
   * @returns this Deferred.
   * @throws what `clock.callLater` throws for a bad `seconds`.
   */
  addTimeout(seconds: number, clock: IReactorTime, onTimeoutCancel: (result: unknown, seconds: number) => unknown = cancelledToTimedOut): Deferred<T> {
    const [afterTimeout, stopTimer] = timeoutSteps(seconds, clock, () => this.cancel(), onTimeoutCancel);
    return this.addBoth(afterTimeout).addBoth(stopTimer) as Deferred<T>;
  }

  /**
   * A Promise of this chain's result at this point, as Twisted's `asFuture`: the step added
   * consumes the result, so this Deferred's result is `undefined` afterwards, and a Failure
   * counts as handled (the Promise rejects with its `value`, the original error).
   * @returns a Promise that resolves with the result or rejects with the Failure's value.
   */
  asPromise(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.addCallbacks(resolve, (failure) => reject(failure.value));
    });
  }

  /**
   * Makes a Deferred awaitable (`await d`, `Promise.resolve(d)`): `asPromise().then(...)`. The
   * result is consumed (Twisted's `await` leaves None too); a failed Deferred throws its value.
   * @returns a Promise, as `Promise.prototype.then` does.
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.asPromise().then(onfulfilled, onrejected);
  }

  /**
   * A Deferred that fires when `promise` settles (a Deferred is returned as it is). Cancelling
   * it errbacks at once with `CancelledError` (a Promise cannot be stopped) and its later
   * settlement is ignored.
   * @param promise - any thenable.
   * @returns a Deferred of the promise's value.
   */
  static fromPromise<T>(promise: PromiseLike<T>): Deferred<T> {
    if (promise instanceof Deferred) return promise;
    const deferred = new Deferred<T>();
    settleWith(promise, deferred);
    return deferred;
  }

  /** @returns `<Deferred>`, `<Deferred current result: …>` or `<Deferred waiting on Deferred>`. */
  toString(): string {
    if (this.#result instanceof Deferred) return '<Deferred waiting on Deferred>';
    if (this.#result === NO_RESULT) return '<Deferred>';
    return `<Deferred current result: ${describe(this.#result)}>`;
  }

  // Returns `never`: the chain changes the result's type as it goes; the caller's view is the new type.
  #add(step: StoredStep): never {
    this.#push(step);
    if (this.#result !== NO_RESULT) this.#runCallbacks();
    return this as never;
  }

  // Most Deferreds hold one step at a time: it waits in #one; a queue is made for a second.
  #push(step: StoredStep): void {
    if (this.#steps !== undefined) this.#steps.push(step);
    else if (this.#one === undefined) this.#one = step;
    else [this.#steps, this.#one] = [new StepQueue(this.#one, step), undefined];
  }

  // The next step to run, taken out.
  #take(): StoredStep | undefined {
    const one = this.#one;
    this.#one = undefined;
    return one ?? this.#steps?.shift();
  }

  #fire(result: unknown): void {
    if (this.#result === NO_RESULT) {
      this.#result = result;
      this.#runCallbacks();
    } else if (this.#suppressAlreadyCalled) {
      this.#suppressAlreadyCalled = false; // dropped, once: see cancel()
    } else {
      throw new AlreadyCalledError('Deferred has already fired');
    }
  }

  /**
   * Run the steps that are due: Twisted's `_runCallbacks`, in the same shape. `chain` holds the
   * Deferreds a result is being pushed up through. The top one runs its steps in order until it
   * has run them all, or pauses, or a callback returns a Deferred without a result (it then waits
   * on that one, and leaves a step on it that will hand the result back). When the top one meets
   * such a step left by a Deferred waiting on it, it hands its result over and that Deferred goes
   * on top. A loop, not recursion: 100,000 nested Deferreds do not overflow the stack.
   */
  #runCallbacks(): void {
    if (this.#running) return; // a callback of ours added a step: the loop below will run it
    const chain: Deferred[] = [this];
    while (chain.length > 0) {
      const current = chain[chain.length - 1];
      if (current.#paused > 0) return; // paused: it, and the Deferreds below, go on when unpaused
      let handedOver = false;
      // Asked afresh each time: a callback may add steps.
      let step: StoredStep | undefined;
      while ((step = current.#take()) !== undefined) {
        const failed = current.#result instanceof FailureClass;
        let fn: AnyCallback | null;
        let args = NO_ARGS;
        if (typeof step === 'function') {
          fn = failed ? null : step;
        } else if (step instanceof StepClass) {
          fn = failed ? step.errback : step.callback;
          args = failed ? step.errbackArgs : step.callbackArgs;
        } else {
          // A Deferred waits on this one: give it our result and run its steps next.
          const waiting = step;
          waiting.#result = current.#result;
          waiting.#paused--;
          current.#result = undefined;
          current.#forgetFailure();
          chain.push(waiting);
          handedOver = true;
          break;
        }
        if (fn === null) continue; // nothing on this side: the result passes on
        let result: unknown;
        current.#running = true;
        try {
          result = args.length === 0 ? fn(current.#result) : fn(current.#result, ...args);
        } catch (error) {
          result = toFailure(error);
        }
        current.#running = false;
        if (result === current) {
          result = new Failure(new CircularChainError());
        } else if (isThenableValue(result)) {
          const inner = result instanceof Deferred ? result : Deferred.fromPromise(result);
          if (current.#waitOn(inner)) break; // paused now: the inner one will hand its result back
          continue; // the inner one had a result: it is ours now
        }
        current.#result = result;
      }
      if (handedOver) continue;
      if (current.#steps?.isEmpty()) current.#steps = undefined; // all run: let them go
      current.#watchFailure();
      chain.pop();
    }
  }

  /**
   * Take `inner`'s result if it has one to give, else wait for it (paused, with `inner` as the
   * result, and a step on `inner` that hands its result back). @returns true when now waiting.
   */
  #waitOn(inner: Deferred): boolean {
    const innerResult = inner.#result;
    if (innerResult === NO_RESULT || innerResult instanceof Deferred || inner.#paused > 0) {
      this.#paused++;
      this.#result = inner;
      inner.#push(this);
      return true;
    }
    inner.#result = undefined;
    inner.#forgetFailure();
    this.#result = innerResult;
    return false;
  }

  // An unhandled Failure is logged if this Deferred is collected while holding it.
  #watchFailure(): void {
    const result = this.#result;
    if (result === this.#watched) return;
    this.#forgetFailure();
    if (result instanceof Failure) watch(this, (this.#watched = result));
  }

  #forgetFailure(): void {
    if (this.#watched === undefined) return;
    forget(this);
    this.#watched = undefined;
  }
}
