// Chapters 03, 15, 19: the scheduling contract (types only). Tests: test/reactor/clock.test.ts.
export type { IDelayedCall, IReactorTime } from './interfaces';
