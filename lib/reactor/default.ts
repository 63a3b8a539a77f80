// Chapter 03: the default reactor, as `from twisted.internet import reactor`
// (tested in test/reactor/select-reactor.test.ts).
import { SelectReactor } from './select-reactor';

// Kept on globalThis so that a re-imported module (a re-run notebook cell) finds the same one.
const KEY = Symbol.for('twisted-intro.reactor');

/** The reactor most programs use. It can be run again after it stops. */
export const reactor: SelectReactor = ((globalThis as { [KEY]?: SelectReactor })[KEY] ??= new SelectReactor());
