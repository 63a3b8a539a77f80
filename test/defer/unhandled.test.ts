// Tests for the "Unhandled error in Deferred" log of a garbage-collected failed Deferred
// (chapter 07), after twisted/test/test_defer.py's LogTests. Needs --expose-gc (vitest.config.mts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Deferred, fail, setErrorLogger, succeed } from '../../lib/defer';
import type { ErrorLogger } from '../../lib/defer';

const collectGarbage = (globalThis as { gc?: () => void }).gc;
let lines: string[] = [];
let previous: ErrorLogger;

beforeEach(() => {
  lines = [];
  previous = setErrorLogger((line) => lines.push(line));
});
afterEach(() => {
  setErrorLogger(previous);
});

// Collect, then let FinalizationRegistry callbacks (which run as tasks) happen.
async function collect(): Promise<void> {
  if (!collectGarbage) throw new Error('run with --expose-gc (see vitest.config.mts)');
  for (let i = 0; i < 5; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// The Deferreds are made in a separate function so that no local variable keeps them alive.
function dropFailed(message: string): void {
  fail(new RangeError(message));
}

describe('Deferred unhandled-error log', () => {
  // test_defer.LogTests.test_errorLog
  it('logs a garbage-collected Deferred that still holds a failure, with the traceback', async () => {
    dropFailed('never handled');
    await collect();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Unhandled error in Deferred:\nRangeError: never handled\n\s+at /);
  });

  it('does not log a handled failure', async () => {
    (() => {
      fail(new RangeError('handled')).addErrback(() => undefined);
    })();
    await collect();
    expect(lines).toEqual([]);
  });

  it('does not log a successful Deferred', async () => {
    (() => {
      succeed(1);
    })();
    await collect();
    expect(lines).toEqual([]);
  });

  // test_defer.LogTests.test_errorClearedByChaining
  it('does not log the inner Deferred whose failure was passed to the outer one', async () => {
    (() => {
      const inner = fail(new RangeError('passed on'));
      succeed(0)
        .addCallback(() => inner)
        .addErrback(() => undefined);
    })();
    await collect();
    expect(lines).toEqual([]);
  });

  // test_defer.LogTests.test_chainedErrorCleanup
  it('logs once for a failure that went from an inner Deferred to an unhandled outer one', async () => {
    (() => {
      const inner = new Deferred<number>();
      succeed(0).addCallback(() => inner);
      inner.errback(new RangeError('once'));
    })();
    await collect();
    expect(lines).toHaveLength(1);
  });

  it('does not log a failure that was awaited', async () => {
    const failed = (() => fail(new RangeError('awaited')))();
    await expect(failed).rejects.toThrow('awaited');
    await collect();
    expect(lines).toEqual([]);
  });

  it('does not keep the Deferred alive', async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      const d = fail(new RangeError('collectable'));
      ref = new WeakRef(d);
    })();
    await collect();
    expect(ref?.deref()).toBeUndefined();
    expect(lines).toHaveLength(1);
  });
});
