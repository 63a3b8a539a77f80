import { afterEach, describe, expect, it, vi } from 'vitest';
import { setErrorLogger } from '../../lib/log/index';
import { ReactorAlreadyRunning, ReactorNotRunning } from '../../lib/reactor/errors';
import { EpollReactor } from '../../lib/reactor/epoll-reactor';
import type { IReadDescriptor } from '../../lib/reactor/interfaces';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { Selectable } from '../../lib/sockets/selectable';
import { REACTORS } from '../helpers/reactor';

const logged: string[] = [];
setErrorLogger((message) => logged.push(message));
afterEach(() => {
  logged.length = 0;
});

describe.each(REACTORS)('%s', (_name, Reactor) => {
  describe('reactor.callLater', () => {
    it('runs calls in time order, equal times in scheduling order', async () => {
      const reactor = new Reactor();
      const order: string[] = [];
      // Scheduled at one instant: a busy machine may pause between two lines for longer than
      // the calls are apart, and a call's time counts from when it is made.
      const now = reactor.seconds();
      const seconds = vi.spyOn(reactor, 'seconds').mockReturnValue(now);
      reactor.callLater(0.03, () => order.push('c'));
      reactor.callLater(0.01, () => order.push('a1'));
      reactor.callLater(0.01, () => order.push('a2'));
      reactor.callLater(0.02, () => order.push('b'));
      reactor.callLater(0.04, () => reactor.stop());
      seconds.mockRestore();
      await reactor.run();
      expect(order).toEqual(['a1', 'a2', 'b', 'c']);
    });

    it('passes arguments, and honours cancel, reset and delay', async () => {
      const reactor = new Reactor();
      const order: string[] = [];
      const cancelled = reactor.callLater(0.01, (x: string) => order.push(x), 'cancelled');
      const reset = reactor.callLater(0.01, (x: string) => order.push(x), 'reset');
      const delayed = reactor.callLater(0.02, (x: string) => order.push(x), 'delayed');
      reactor.callLater(0.03, (x: string) => order.push(x), 'plain');
      cancelled.cancel();
      reset.reset(0.05);
      delayed.delay(0.015);
      expect(reactor.getDelayedCalls()).toHaveLength(3);
      reactor.callLater(0.07, () => reactor.stop());
      await reactor.run();
      expect(order).toEqual(['plain', 'delayed', 'reset']);
    });

    it('runs a call scheduled from inside a call on a later iteration, even with no delay', async () => {
      const reactor = new Reactor();
      const order: string[] = [];
      reactor.callLater(0, () => {
        order.push('first');
        reactor.callLater(0, () => order.push('scheduled inside'));
      });
      reactor.callLater(0, () => order.push('second'));
      reactor.callLater(0.02, () => reactor.stop());
      await reactor.run();
      expect(order).toEqual(['first', 'second', 'scheduled inside']);
    });

    it('logs an exception from a call with its stack and goes on', async () => {
      const reactor = new Reactor();
      const order: string[] = [];
      reactor.callLater(0, () => {
        throw new Error('boom in a callback');
      });
      reactor.callLater(0.01, () => order.push('after'));
      reactor.callLater(0.02, () => reactor.stop());
      await reactor.run();
      expect(order).toEqual(['after']);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^Unhandled Error\nError: boom in a callback\n\s+at /);
    });

    it('rejects a negative delay', () => {
      expect(() => new Reactor().callLater(-1, () => {})).toThrow('Expected `seconds` to be a number >= 0, got `-1` (number)');
    });
  });

  describe('reactor.run and stop', () => {
    it('callWhenRunning calls run once the loop starts, in order', async () => {
      const reactor = new Reactor();
      const order: string[] = [];
      reactor.callWhenRunning(() => order.push(`running ${reactor.running}`));
      reactor.callWhenRunning((x: string) => order.push(x), 'second');
      reactor.callWhenRunning(() => reactor.stop());
      expect(order).toEqual([]);
      await reactor.run();
      expect(order).toEqual(['running true', 'second']);
      expect(reactor.running).toBe(false);
    });

    it('stop from a callback ends the loop; stopping twice or when stopped throws ReactorNotRunning', async () => {
      const reactor = new Reactor();
      expect(() => reactor.stop()).toThrow(ReactorNotRunning);
      let second: unknown;
      reactor.callLater(0, () => {
        reactor.stop();
        try {
          reactor.stop();
        } catch (error) {
          second = error;
        }
      });
      await reactor.run();
      expect(second).toBeInstanceOf(ReactorNotRunning);
      expect(() => reactor.stop()).toThrow("Can't stop reactor that isn't running.");
    });

    it('runs again after stopping (run, stop, run)', async () => {
      const reactor = new Reactor();
      let runs = 0;
      for (let i = 0; i < 3; i++) {
        reactor.callWhenRunning(() => {
          runs++;
          reactor.callLater(0.005, () => reactor.stop());
        });
        await reactor.run();
      }
      expect(runs).toBe(3);
    });

    it('refuses to run twice at once', async () => {
      const reactor = new Reactor();
      reactor.callLater(0.01, () => reactor.stop());
      const running = reactor.run();
      await expect(reactor.run()).rejects.toBeInstanceOf(ReactorAlreadyRunning);
      await running;
    });

    it('wakes up for a call scheduled while it waits', async () => {
      const reactor = new Reactor();
      const started = reactor.seconds();
      const later = reactor.callLater(10, () => {});
      const running = reactor.run();
      // Scheduled from outside the loop while it waits for the 10 s call.
      setTimeout(() => reactor.callLater(0, () => reactor.stop()));
      await running;
      // It stopped before the 10 s call was due: the new call woke it.
      expect(later.active()).toBe(true);
      expect(reactor.seconds() - started).toBeLessThan(later.getTime() - started);
      later.cancel();
    });
  });
});

/** A socket stand-in that counts how often a reactor's wait looks at it. */
class CountingSocket extends Selectable {
  looks = 0;
  ready = false;
  readable(): boolean {
    this.looks++;
    return this.ready;
  }
  writable(): boolean {
    return false;
  }
  becomeReady(): void {
    this.ready = true;
    this.notify();
  }
}

function idleReader(socket: CountingSocket, reads: string[]): IReadDescriptor {
  return {
    fileno: () => socket,
    doRead: () => {
      reads.push('read');
      socket.ready = false;
      return undefined;
    },
    connectionLost: () => {},
  };
}

describe('choosing a reactor: what one turn looks at', () => {
  it.each([
    ['SelectReactor', () => new SelectReactor(), 1001],
    ['EpollReactor', () => new EpollReactor(), 1],
  ] as const)('%s looks at %s socket(s) per turn with 1,000 idle and 1 ready', async (_name, make, looked) => {
    const reactor = make();
    const sockets = Array.from({ length: 1001 }, () => new CountingSocket());
    const reads: string[] = [];
    const readers = sockets.map((socket) => idleReader(socket, reads));
    readers.forEach((reader) => reactor.addReader(reader));
    await reactor.doIteration(0); // settles what a registration looks at
    sockets.forEach((socket) => (socket.looks = 0));
    sockets[500].becomeReady();
    await reactor.doIteration(0);
    expect(reads).toEqual(['read']);
    expect(sockets.reduce((sum, socket) => sum + socket.looks, 0)).toBe(looked);
    reactor.removeAll();
  });
});

describe.each(REACTORS)('%s, idle', (_name, Reactor) => {
  it('waits once, without turning, while nothing is ready or due', async () => {
    const reactor = new Reactor();
    let turns = 0;
    const original = reactor.doIteration.bind(reactor);
    reactor.doIteration = (timeout) => {
      turns++;
      return original(timeout);
    };
    const stopped = new Promise<void>((resolve) =>
      setTimeout(() => {
        reactor.stop();
        resolve();
      }, 200),
    );
    await reactor.run();
    await stopped;
    // One wait, ended by stop() from outside; an idle loop never spins.
    expect(turns).toBe(1);
  });
});
