// Chapter 07 (Deferred interlude: errbacks and Failure). Tests: test/defer/failure.test.ts.
import { describeError } from '../log/index';

/** Any class a failure's value can be an instance of (`Error`, `RangeError`, your own). */
// `any[]`: a constructor with specific parameters is not assignable to one taking unknown[].
export type ErrorType = abstract new (...args: any[]) => unknown;

/**
 * A thrown value on its way down an errback chain, as Twisted's `twisted.python.failure.Failure`.
 *
 * JavaScript can throw anything, so a Failure wraps any value as it is: `value` is what was
 * thrown (normally an Error, whose `stack` is the traceback). Errbacks receive Failures; a
 * callback that throws, or returns a Failure, sends the chain to its errbacks.
 */
export class Failure {
  /** What was thrown or passed to `errback`, unchanged. */
  readonly value: unknown;

  /** @param value - the thrown value (a Failure passed here is unwrapped to its value). */
  constructor(value: unknown) {
    this.value = value instanceof Failure ? value.value : value;
  }

  /**
   * The class of `value`: its constructor, or the wrapper class of a primitive (`String` for a
   * thrown string); `undefined` for a thrown `null` or `undefined`.
   */
  get type(): Function | undefined {
    const value = this.value;
    return value === null || value === undefined ? undefined : Object(value).constructor;
  }

  /**
   * Which of `types` the value is an instance of.
   * @param types - error classes to look for.
   * @returns the first of `types` that matches, or `undefined` when none does.
   */
  // A tuple of types, not E[]: with E[], two unrelated classes (`trap(A, B)`) did not type-check.
  check<E extends ErrorType[]>(...types: E): E[number] | undefined {
    const value = this.value;
    if (value === null || value === undefined) return undefined;
    const object: unknown = Object(value);
    return types.find((type) => object instanceof type);
  }

  /**
   * Let an errback handle only the errors it knows: returns the matching type, and otherwise
   * rethrows the value, so the chain goes on to the next errback with the same error.
   * @param types - error classes this errback handles.
   * @returns the first of `types` that matches.
   * @throws the failure's `value` when none of `types` matches.
   */
  trap<E extends ErrorType[]>(...types: E): E[number] {
    const match = this.check(...types);
    if (match === undefined) this.raiseException();
    return match;
  }

  /**
   * Throw the original value, with its original stack.
   * @throws the failure's `value`, always.
   */
  raiseException(): never {
    throw this.value;
  }

  /** @returns the error's message (`String(value)` for a value that is not an Error). */
  getErrorMessage(): string {
    return describeError(this.value);
  }

  /**
   * The traceback, as JavaScript has it: the Error's `stack` (whose first line is
   * `Name: message`), or `Name: message` alone for a value thrown without a stack.
   * @returns the traceback text, without a trailing newline.
   */
  getTraceback(): string {
    const value = this.value;
    if (value instanceof Error && typeof value.stack === 'string') return value.stack;
    return `${this.type?.name ?? String(value)}: ${this.getErrorMessage()}`;
  }

  /** @returns `[Failure instance: Name: message]`, close to Twisted's repr. */
  toString(): string {
    const value = this.value;
    const name = value instanceof Error ? value.name : this.type?.name;
    return `[Failure instance: ${name ?? 'null'}: ${this.getErrorMessage()}]`;
  }
}

/** @returns `value` if it is a Failure already, else a Failure wrapping it. */
export function toFailure(value: unknown): Failure {
  return value instanceof Failure ? value : new Failure(value);
}
