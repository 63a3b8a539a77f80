// Conformance tests for succeed, fail and maybeDeferred (chapter 14), modelled on
// twisted/test/test_defer.py.
import { describe, expect, it } from 'vitest';
import { Deferred, Failure, fail, maybeDeferred, succeed } from '../../lib/defer';

describe('succeed', () => {
  // test_defer.DeferredTests.testImmediateSuccess
  it('returns a fired Deferred', () => {
    const seen: string[] = [];
    succeed('success').addCallback((r) => void seen.push(r));
    expect(seen).toEqual(['success']);
  });
});

describe('fail', () => {
  it('returns a failed Deferred, wrapping a plain value', () => {
    let failure: Failure | undefined;
    fail('not an Error').addErrback((f) => void (failure = f));
    expect(failure?.value).toBe('not an Error');
  });
});

describe('maybeDeferred', () => {
  // test_defer.DeferredTests.test_maybeDeferredSync
  it('wraps a plain result', () => {
    expect(maybeDeferred(() => 'foo').result).toBe('foo');
  });

  // test_defer.DeferredTests.test_maybeDeferredSyncWithArgs
  it('passes the arguments', () => {
    expect(maybeDeferred((a: number, b: number) => a + b, 10, 20).result).toBe(30);
  });

  // test_defer.DeferredTests.test_maybeDeferredSyncException
  it('turns a throw into a failed Deferred', () => {
    let failure: Failure | undefined;
    maybeDeferred(() => {
      throw new TypeError('bad');
    }).addErrback((f) => void (failure = f));
    expect(failure?.value).toBeInstanceOf(TypeError);
  });

  // test_defer.DeferredTests.test_maybeDeferredSyncFailure
  it('turns a returned Failure into a failed Deferred', () => {
    const returned = new Failure(new RangeError('x'));
    let failure: Failure | undefined;
    maybeDeferred(() => returned).addErrback((f) => void (failure = f));
    expect(failure).toBe(returned);
  });

  // test_defer.DeferredTests.test_maybeDeferredAsync
  it('returns a returned Deferred as it is', () => {
    const d = new Deferred<string>();
    expect(maybeDeferred(() => d)).toBe(d);
  });

  it('adapts a returned promise', async () => {
    const d = maybeDeferred(async () => 'from a promise');
    expect(d).toBeInstanceOf(Deferred);
    expect(d.called).toBe(false);
    expect(await d).toBe('from a promise');
  });
});
