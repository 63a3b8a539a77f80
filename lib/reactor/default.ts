// Chapter 03: the default reactor, as `from twisted.internet import reactor`
// (tested in test/reactor/reactor.test.ts).
import { EpollReactor } from './epoll-reactor';

// Kept on globalThis so that a re-imported module (a re-run notebook cell) finds the same one.
const KEY = Symbol.for('twisted-intro.reactor');

/**
 * The reactor most programs use: an EpollReactor, as Twisted's default is on Linux. It can be run
 * again after it stops.
 */
export const reactor: EpollReactor = ((globalThis as { [KEY]?: EpollReactor })[KEY] ??= new EpollReactor());
