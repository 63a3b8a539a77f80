// Tests for deferLater and LoopingCall (chapters 03 and 19), after twisted/test/test_task.py.
import { describe, expect, it } from 'vitest';
import { CancelledError, Deferred } from '../../lib/defer';
import { Clock } from '../../lib/reactor/clock';
import { LoopingCall, deferLater } from '../../lib/reactor/task';
import { failureOf } from '../defer/helpers';

describe('deferLater', () => {
  // test_task.DeferLaterTests.test_callback
  it('calls the function after the delay and fires with its result', () => {
    const clock = new Clock();
    const d = deferLater(clock, 3, (a: number, b: number) => a + b, 1, 2);
    clock.advance(2);
    expect(d.called).toBe(false);
    clock.advance(1);
    expect(d.result).toBe(3);
  });

  // test_task.DeferLaterTests.test_noCallback
  it('fires with undefined without a function', () => {
    const clock = new Clock();
    const d = deferLater(clock, 1);
    clock.advance(1);
    expect(d.called).toBe(true);
    expect(d.result).toBeUndefined();
  });

  // test_task.DeferLaterTests.test_errback
  it('fails with what the function throws', () => {
    const clock = new Clock();
    const d = deferLater(clock, 1, () => {
      throw new RangeError('late');
    });
    clock.advance(1);
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  // test_task.DeferLaterTests.test_cancel
  it('cancels the delayed call when cancelled', () => {
    const clock = new Clock();
    let called = false;
    const d = deferLater(clock, 1, () => (called = true));
    d.cancel();
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(1);
    expect(called).toBe(false);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });
});

describe('LoopingCall.start', () => {
  // test_task.LoopTests.testBasicFunction
  it('calls at once and then every interval', () => {
    const clock = new Clock();
    const times: number[] = [];
    const loop = new LoopingCall(() => times.push(clock.seconds()));
    loop.clock = clock;
    loop.start(0.1);
    clock.pump([0.05, 0.05, 0.1, 0.1]);
    expect(times).toEqual([0, 0.1, 0.2, 0.30000000000000004]);
    expect(loop.running).toBe(true);
  });

  // test_task.LoopTests.test_withCountIntervalZero ... (now=false form: test_task.LoopTests.testNotNow)
  it('waits one interval first with now = false, and passes the arguments', () => {
    const clock = new Clock();
    const seen: unknown[] = [];
    const loop = new LoopingCall((a: string) => seen.push([a, clock.seconds()]), 'x');
    loop.clock = clock;
    loop.start(1, false);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([['x', 1]]);
  });

  // test_task.LoopTests.testFailure
  it("stops and fails start()'s Deferred when the function throws", () => {
    const clock = new Clock();
    const loop = new LoopingCall(() => {
      throw new RangeError('bad');
    });
    loop.clock = clock;
    const d = loop.start(1);
    expect(loop.running).toBe(false);
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  // test_task.LoopTests.testDeferredDeprecation / test_deferredWithCount: a Deferred delays the next call
  it("waits for the function's Deferred, then schedules on the next interval boundary", () => {
    const clock = new Clock();
    const times: number[] = [];
    let pending: Deferred<void> | undefined;
    const loop = new LoopingCall(() => {
      times.push(clock.seconds());
      pending = new Deferred<void>();
      return pending;
    });
    loop.clock = clock;
    loop.start(1);
    clock.advance(2.5); // no call: the first Deferred has not fired
    expect(times).toEqual([0]);
    pending?.callback();
    expect(clock.getDelayedCalls().map((call) => call.getTime())).toEqual([3]);
    clock.advance(0.5);
    expect(times).toEqual([0, 3]);
  });

  it("fails start()'s Deferred when the function's Deferred fails", () => {
    const clock = new Clock();
    const loop = new LoopingCall(() => Promise.reject(new RangeError('async failure')));
    loop.clock = clock;
    const d = loop.start(1);
    return d.then(
      () => expect.unreachable(),
      (error: unknown) => {
        expect(error).toBeInstanceOf(RangeError);
        expect(loop.running).toBe(false);
      },
    );
  });

  // test_task.LoopTests.testBadDelay
  it('rejects a negative interval, a second start, and a missing clock', () => {
    const loop = new LoopingCall(() => undefined);
    expect(() => loop.start(1)).toThrow('LoopingCall.clock must be set');
    loop.clock = new Clock();
    expect(() => loop.start(-1)).toThrow(TypeError);
    loop.start(1);
    expect(() => loop.start(1)).toThrow('Tried to start an already running LoopingCall.');
  });
});

describe('LoopingCall.stop', () => {
  // test_task.LoopTests.testStopAtOnce
  it("fires start()'s Deferred with the LoopingCall and cancels the next call", () => {
    const clock = new Clock();
    const loop = new LoopingCall(() => undefined);
    loop.clock = clock;
    const d = loop.start(1);
    loop.stop();
    expect(d.result).toBe(loop);
    expect(loop.running).toBe(false);
    expect(clock.getDelayedCalls()).toEqual([]);
    expect(() => loop.stop()).toThrow('Tried to stop a LoopingCall that was not running.');
  });

  // test_task.LoopTests.test_stopAtOnceLater... (stop while the function's Deferred is pending)
  it("fires start()'s Deferred once the pending Deferred fires", () => {
    const clock = new Clock();
    const pending = new Deferred<void>();
    const loop = new LoopingCall(() => pending);
    loop.clock = clock;
    const d = loop.start(1);
    loop.stop();
    expect(d.called).toBe(false);
    pending.callback();
    expect(d.result).toBe(loop);
  });

  it('can be stopped from inside the function', () => {
    const clock = new Clock();
    let count = 0;
    const loop = new LoopingCall(() => {
      if (++count === 3) loop.stop();
    });
    loop.clock = clock;
    const d = loop.start(1);
    clock.pump([1, 1, 1, 1]);
    expect(count).toBe(3);
    expect(d.result).toBe(loop);
  });
});

describe('LoopingCall.reset', () => {
  // test_task.LoopTests.test_reset
  it('restarts the interval from now', () => {
    const clock = new Clock();
    const times: number[] = [];
    const loop = new LoopingCall(() => times.push(clock.seconds()));
    loop.clock = clock;
    loop.start(2, false);
    clock.advance(1);
    loop.reset();
    clock.advance(1);
    expect(times).toEqual([]);
    clock.advance(1);
    expect(times).toEqual([3]);
  });
});

describe('LoopingCall keeps its schedule', () => {
  // test_task.LoopTests.test_callLaterDelay family: call k is due at start + k * interval
  it('does not drift: a late call does not make the next one late', () => {
    const clock = new Clock();
    clock.advance(0.7); // a start time that is not a multiple of the interval
    const times: number[] = [];
    const loop = new LoopingCall(() => times.push(clock.seconds()));
    loop.clock = clock;
    loop.start(0.1);
    for (const late of [0.03, 0, 0.07, 0.01, 0.099]) {
      const due = clock.getDelayedCalls()[0].getTime();
      clock.advance(due - clock.seconds() + late);
    }
    loop.stop();
    const ks = times.map((t) => (t - 0.7) / 0.1);
    expect(ks.map((k) => Math.floor(k + 1e-9))).toEqual([0, 1, 2, 3, 4, 5]);
    // Every due time was start + k * interval, whatever the lateness before it.
    expect(times[2] - 0.7).toBeCloseTo(0.2, 12);
    expect(times[4] - 0.7).toBeCloseTo(0.4 + 0.01, 12);
  });

  it('skips intervals it missed: one call, not a burst to catch up', () => {
    const clock = new Clock();
    const times: number[] = [];
    const loop = new LoopingCall(() => times.push(clock.seconds()));
    loop.clock = clock;
    loop.start(1);
    clock.advance(3.5); // calls at 1, 2 and 3 were due: one runs, late
    expect(times).toEqual([0, 3.5]);
    expect(clock.getDelayedCalls().map((call) => call.getTime())).toEqual([4]);
    clock.advance(0.5);
    expect(times).toEqual([0, 3.5, 4]);
    loop.stop();
  });

  it('runs at the due times exactly when the clock is on time', () => {
    const clock = new Clock();
    clock.advance(12.3);
    const times: number[] = [];
    const loop = new LoopingCall(() => times.push(clock.seconds()));
    loop.clock = clock;
    loop.start(0.03);
    for (let k = 0; k < 200; k++) clock.advance(clock.getDelayedCalls()[0].getTime() - clock.seconds());
    loop.stop();
    expect(times).toHaveLength(201);
    times.forEach((t, k) => expect(t).toBeCloseTo(12.3 + k * 0.03, 9));
  });
});

describe('LoopingCall.withCount', () => {
  // test_task.LoopTests.test_withCountIntervalZero / testWithCount
  it('tells the function how many intervals passed since it last ran', () => {
    const clock = new Clock();
    const counts: number[] = [];
    const loop = LoopingCall.withCount((count) => counts.push(count));
    loop.clock = clock;
    loop.start(0.5);
    expect(counts).toEqual([1]);
    clock.advance(0.5);
    expect(counts).toEqual([1, 1]);
    clock.advance(1.7); // due at 1.0, 1.5 and 2.0: runs once, at 2.2
    expect(counts).toEqual([1, 1, 3]);
    clock.advance(0.3);
    expect(counts).toEqual([1, 1, 3, 1]);
    loop.stop();
  });

  it('counts from the start when not run at once, and 1 each time for interval 0', () => {
    const clock = new Clock();
    const counts: number[] = [];
    const loop = LoopingCall.withCount((count) => counts.push(count));
    loop.clock = clock;
    loop.start(1, false);
    clock.advance(2.5);
    expect(counts).toEqual([2]);
    loop.stop();
    const zero = LoopingCall.withCount((count) => {
      counts.push(count);
      if (counts.length === 4) zero.stop();
    });
    zero.clock = clock;
    zero.start(0);
    clock.advance(0);
    clock.advance(0);
    expect(counts).toEqual([2, 1, 1, 1]);
  });
});
