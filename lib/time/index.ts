// Chapters 02, 03, 15, 19: the scheduling contract, and timers for any delay.
// Tests: test/reactor/clock.test.ts, test/time/timer.test.ts.
export type { IDelayedCall, IReactorTime } from './interfaces';
export { MAX_TIMER_SECONDS, setLongTimeout } from './timer';
