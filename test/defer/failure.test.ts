// Tests for Failure (chapter 07), after twisted/test/test_failure.py.
import { describe, expect, it } from 'vitest';
import { Failure } from '../../lib/defer';
import { GenericError } from './helpers';

class SubError extends GenericError {
  override name = 'SubError';
}

describe('Failure', () => {
  it('keeps the value and its class', () => {
    const error = new SubError('boom');
    const failure = new Failure(error);
    expect(failure.value).toBe(error);
    expect(failure.type).toBe(SubError);
  });

  it('wraps any thrown value, unchanged', () => {
    expect(new Failure('text').value).toBe('text');
    expect(new Failure('text').type).toBe(String);
    expect(new Failure(undefined).type).toBeUndefined();
    expect(new Failure(new Failure(1)).value).toBe(1);
  });
});

describe('Failure.check', () => {
  // test_failure.FailureTests.test_failAndTrap (check form)
  it('returns the first matching class, subclasses included, else undefined', () => {
    const failure = new Failure(new SubError('x'));
    expect(failure.check(RangeError, GenericError)).toBe(GenericError);
    expect(failure.check(RangeError)).toBeUndefined();
    expect(new Failure('text').check(String)).toBe(String);
    expect(new Failure(null).check(Object)).toBeUndefined();
  });
});

describe('Failure.trap', () => {
  // test_failure.FailureTests.test_failAndTrap
  it('returns the matching class', () => {
    expect(new Failure(new SubError('x')).trap(RangeError, SubError)).toBe(SubError);
  });

  it('takes classes whose constructors differ (a type check: tsc rejected this before)', () => {
    class WithPoem extends Error {
      constructor(readonly poem: string) {
        super('cannot transform');
      }
    }
    class NoArguments extends Error {}
    const trapped: typeof WithPoem | typeof NoArguments = new Failure(new NoArguments()).trap(WithPoem, NoArguments);
    expect(trapped).toBe(NoArguments);
  });

  // test_failure.FailureTests.test_trapRaisesWrappedException
  it('rethrows the original value when nothing matches', () => {
    const error = new GenericError('not trapped');
    const failure = new Failure(error);
    let thrown: unknown;
    try {
      failure.trap(RangeError);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBe(error);
  });
});

describe('Failure.raiseException', () => {
  it('throws the original value', () => {
    const error = new RangeError('r');
    expect(() => new Failure(error).raiseException()).toThrow(error);
  });
});

describe('Failure.getErrorMessage', () => {
  it("gives an Error's message, or the value as a string", () => {
    expect(new Failure(new GenericError('boom')).getErrorMessage()).toBe('boom');
    expect(new Failure(42).getErrorMessage()).toBe('42');
  });
});

describe('Failure.getTraceback', () => {
  it("gives an Error's stack", () => {
    const error = new GenericError('boom');
    const traceback = new Failure(error).getTraceback();
    expect(traceback).toBe(error.stack);
    expect(traceback).toMatch(/^GenericError: boom\n\s+at /);
  });

  it('gives Name: message for a value without a stack', () => {
    expect(new Failure('text').getTraceback()).toBe('String: text');
  });
});

describe('Failure.toString', () => {
  it('reads like Twisted', () => {
    expect(String(new Failure(new RangeError('r')))).toBe('[Failure instance: RangeError: r]');
  });
});
