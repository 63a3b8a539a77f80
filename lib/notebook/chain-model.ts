// Chapter 09 (the chain simulator): what a chain is, as the simulator describes it, and what a
// run of it reports. The runner is deferred-chain.ts; text in and out chain-text.ts, the code
// chain-code.ts, the figure chain-figure.ts. Tests: test/notebook/deferred-chain.test.ts.

/** What one side of a step does: return a value, throw an Error, or nothing (the side is absent). */
export type Action = 'return' | 'throw' | 'pass';

/** A side of a step, and of the chain: the callback path or the errback path. */
export type Side = 'callback' | 'errback';

/**
 * One step of a chain, as data: what its callback and its errback do, `'pass'` for an absent
 * side (the result passes it by); or one function on both sides, added with `addBoth`.
 */
export type ChainStep = { callback: Action; errback: Action } | { both: 'return' | 'throw' };

/** A result between two steps: a value (on the callback path) or a Failure (on the errback path). */
export interface Outcome {
  kind: 'result' | 'failure';
  /** How it is written in figures: `"cb2"` for a value, `Error: eb3` for a failure. */
  text: string;
}

/** What happened at one step. */
export interface StepRun {
  step: ChainStep;
  /** The side that ran, or null when the side the result arrived on is absent. */
  ran: Side | null;
  /** What arrived at the step: what the function that ran was given. */
  input: Outcome;
  /** What left the step: what the function returned or threw, or the input when none ran. */
  output: Outcome;
  /**
   * The lines written in a side's box, for a chain of real functions (chain-trace.ts): its
   * name and what it did. Without them the figure writes the simulator's `callbackN`, `returns "cbN"`.
   */
  labels?: Partial<Record<Side, string[]>>;
}

/** A chain run on a real Deferred: the steps, how it was fired and the path the result took. */
export interface ChainRun {
  steps: ChainStep[];
  fire: Side;
  /** What `callback()` or `errback()` was given. */
  initial: Outcome;
  /** The firing as the figure writes it (default: the simulator's `d.callback("start")`). */
  fireText?: string;
  /** One entry a step, in order. */
  path: StepRun[];
  /** The Deferred's result after the last step (a failure here was left unhandled). */
  final: Outcome;
  /** The Deferred's name in the figure and in its values (`inner`: `"inner cb1"`); none: `d`, `"cb1"`. */
  name?: string;
  /**
   * The step whose callback returned another Deferred, and that Deferred's name (chapter 13): the
   * step's output is what that Deferred fired with, which the chain resumed with.
   */
  returnedDeferred?: { step: number; name: string };
  /** The Deferred this one's final result was handed to, one waiting on it (chapter 13). */
  handedTo?: string;
}

/** A chain whose callback returned another Deferred (chapter 13), run on real Deferreds. */
export interface NestedChainRun {
  /** The outer chain; its step `returnedDeferred.step` returned the inner Deferred. */
  outer: ChainRun;
  /** The inner Deferred's own chain, fired after the outer one had paused. */
  inner: ChainRun;
  /** The outer Deferred's `paused` count once its callback() had returned, before the inner fired. */
  pausedBeforeInner: number;
  /** How many of the outer steps had run by then. */
  stepsBeforeInner: number;
}

/** What a side may do, in the order the simulator lists them. */
export const ACTIONS: readonly Action[] = ['return', 'throw', 'pass'];

/** @returns what each side of `step` does, whichever way the step is written. */
export function sidesOf(step: ChainStep): { callback: Action; errback: Action } {
  return 'both' in step ? { callback: step.both, errback: step.both } : step;
}

/** @returns the Deferred method that adds `step`: `addCallbacks`, `addCallback`, `addErrback`, `addBoth`, or null for none. */
export function methodOf(step: ChainStep): string | null {
  if ('both' in step) return 'addBoth';
  if (step.callback !== 'pass') return step.errback !== 'pass' ? 'addCallbacks' : 'addCallback';
  return step.errback !== 'pass' ? 'addErrback' : null;
}

/**
 * @returns what the function of `side` at step `n` (from 1) returns (a string) or throws (an
 *   Error): `cb2`, or `inner cb2` in the chain of a Deferred named `inner`.
 */
export function valueFrom(side: Side, n: number, name?: string): string {
  return `${name === undefined ? '' : `${name} `}${side === 'callback' ? 'cb' : 'eb'}${n}`;
}
