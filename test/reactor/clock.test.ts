// Tests for Clock and DelayedCall (chapters 03 and 15), after twisted/test/test_task.py's
// ClockTests and twisted/internet/test/test_base.py's DelayedCallTests.
import { describe, expect, it } from 'vitest';
import { AlreadyCalled, AlreadyCancelled } from '../../lib/reactor/errors';
import { Clock } from '../../lib/reactor/clock';

describe('Clock.seconds', () => {
  // test_task.ClockTestCase.testSeconds
  it('starts at 0 and moves only with advance', () => {
    const clock = new Clock();
    expect(clock.seconds()).toBe(0);
    clock.advance(1.5);
    expect(clock.seconds()).toBe(1.5);
  });
});

describe('Clock.callLater', () => {
  // test_task.ClockTestCase.testCallLater
  it('schedules at now + seconds, with arguments', () => {
    const clock = new Clock();
    const seen: unknown[] = [];
    const call = clock.callLater(1, (a: string, b: number) => void seen.push([a, b]), 'a', 2);
    expect(call.getTime()).toBe(1);
    expect(clock.getDelayedCalls()).toEqual([call]);
    clock.advance(1);
    expect(seen).toEqual([['a', 2]]);
  });

  it('rejects a negative delay with a TypeError', () => {
    expect(() => new Clock().callLater(-1, () => undefined)).toThrow(
      new TypeError('Expected `seconds` to be a number >= 0, got `-1` (number)'),
    );
    expect(() => new Clock().callLater(Number.NaN, () => undefined)).toThrow(TypeError);
  });
});

describe('Clock.advance', () => {
  // test_task.ClockTestCase.testAdvance
  it('runs the calls that are due, and only those', () => {
    const clock = new Clock();
    const seen: string[] = [];
    clock.callLater(1, () => seen.push('one'));
    clock.callLater(2, () => seen.push('two'));
    clock.advance(1);
    expect(seen).toEqual(['one']);
    expect(clock.getDelayedCalls()).toHaveLength(1);
  });

  it('runs calls due at the same time in scheduling order', () => {
    const clock = new Clock();
    const seen: string[] = [];
    clock.callLater(2, () => seen.push('a'));
    clock.callLater(1, () => seen.push('b'));
    clock.callLater(2, () => seen.push('c'));
    clock.callLater(1, () => seen.push('d'));
    clock.advance(5);
    expect(seen).toEqual(['b', 'd', 'a', 'c']);
  });

  // Checked against Twisted 22.4: a call due now, scheduled during advance, runs in the same advance.
  it('runs a call scheduled during the advance when it is due too', () => {
    const clock = new Clock();
    const log: string[] = [];
    clock.callLater(1, () => {
      log.push('first');
      clock.callLater(0, () => log.push('nested0'));
      clock.callLater(1, () => log.push('nested1'));
    });
    clock.callLater(1, () => log.push('second'));
    clock.advance(1);
    expect(log).toEqual(['first', 'second', 'nested0']);
    expect(clock.getDelayedCalls().map((call) => call.getTime())).toEqual([2]);
  });

  // Checked against Twisted 22.4: the exception propagates; the remaining calls stay pending.
  it('lets an exception from a call propagate, and keeps the later calls pending', () => {
    const clock = new Clock();
    const log: string[] = [];
    clock.callLater(1, () => {
      throw new RangeError('boom');
    });
    clock.callLater(1, () => log.push('after'));
    expect(() => clock.advance(1)).toThrow(RangeError);
    expect(log).toEqual([]);
    expect(clock.getDelayedCalls()).toHaveLength(1);
    clock.advance(0);
    expect(log).toEqual(['after']);
  });

  it('rejects a negative amount', () => {
    expect(() => new Clock().advance(-1)).toThrow(TypeError);
  });
});

describe('Clock.pump', () => {
  // test_task.ClockTestCase.testPump
  it('advances by each amount in turn', () => {
    const clock = new Clock();
    const times: number[] = [];
    clock.callLater(1, () => times.push(clock.seconds()));
    clock.callLater(3, () => times.push(clock.seconds()));
    clock.pump([0.5, 1, 1, 1]);
    expect(times).toEqual([1.5, 3.5]);
  });
});

describe('DelayedCall.cancel', () => {
  // test_task.ClockTestCase.testCallLaterCancelled
  it('unschedules the call', () => {
    const clock = new Clock();
    let ran = false;
    const call = clock.callLater(1, () => (ran = true));
    call.cancel();
    expect(call.active()).toBe(false);
    expect(call.cancelled).toBe(true);
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(2);
    expect(ran).toBe(false);
  });

  it('throws AlreadyCancelled the second time', () => {
    const call = new Clock().callLater(1, () => undefined);
    call.cancel();
    expect(() => call.cancel()).toThrow(AlreadyCancelled);
  });

  it('throws AlreadyCalled after the call ran, and from inside the call', () => {
    const clock = new Clock();
    let inside: unknown;
    const call = clock.callLater(1, () => {
      try {
        call.cancel();
      } catch (error) {
        inside = error;
      }
    });
    clock.advance(1);
    expect(inside).toBeInstanceOf(AlreadyCalled);
    expect(call.called).toBe(true);
    expect(() => call.cancel()).toThrow(AlreadyCalled);
  });
});

describe('DelayedCall.reset', () => {
  // test_task.ClockTestCase.testCallLaterResetLater / testCallLaterResetSooner
  it('reschedules relative to now', () => {
    const clock = new Clock();
    let ran = 0;
    const call = clock.callLater(2, () => ran++);
    clock.advance(1);
    call.reset(3);
    expect(call.getTime()).toBe(4);
    clock.advance(2);
    expect(ran).toBe(0);
    clock.advance(1);
    expect(ran).toBe(1);
    expect(() => call.reset(1)).toThrow(AlreadyCalled);
  });

  // Checked against Twisted 22.4's Clock (stable re-sort): ['X', 'B', 'A', 'C'].
  it('puts a call moved earlier after, and a call moved later before, the calls already due then', () => {
    const clock = new Clock();
    const log: string[] = [];
    const a = clock.callLater(5, () => log.push('A'));
    clock.callLater(3, () => log.push('B'));
    a.reset(3);
    clock.callLater(3, () => log.push('C'));
    const x = clock.callLater(1, () => log.push('X'));
    x.delay(2);
    clock.advance(3);
    expect(log).toEqual(['X', 'B', 'A', 'C']);
  });

  it('rejects a negative delay and a cancelled call', () => {
    const call = new Clock().callLater(1, () => undefined);
    expect(() => call.reset(-1)).toThrow('Expected `secondsFromNow` to be a number >= 0, got `-1` (number)');
    call.cancel();
    expect(() => call.reset(1)).toThrow(AlreadyCancelled);
  });
});

describe('DelayedCall.delay', () => {
  it('moves the call by the given seconds, in either direction', () => {
    const clock = new Clock();
    const call = clock.callLater(2, () => undefined);
    call.delay(3);
    expect(call.getTime()).toBe(5);
    call.delay(-4);
    expect(call.getTime()).toBe(1);
    clock.advance(1);
    expect(call.called).toBe(true);
    expect(() => call.delay(1)).toThrow(AlreadyCalled);
  });
});

describe('DelayedCall.toString', () => {
  it('shows the time left and the state', () => {
    const clock = new Clock();
    const call = clock.callLater(1.5, function tick() {});
    expect(String(call)).toBe('<DelayedCall [1.5s] called=false cancelled=false tick>');
  });
});
