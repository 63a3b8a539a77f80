// Chapter 09 (the chain simulator: which path a result takes through callbacks and errbacks).
// This file runs a chain on a real Deferred; its parts are chain-model.ts (what a chain is),
// chain-text.ts (parseChain), chain-code.ts (chainCode), chain-figure.ts (renderChain) and
// chain-trace.ts (traceDeferreds: real Deferreds' chains), all re-exported here. Chapter 13 adds
// runNestedChain: a callback that returns another Deferred. Tests: test/notebook/deferred-chain.test.ts.
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { type Action, ACTIONS, type ChainRun, type ChainStep, type NestedChainRun, type Outcome, type Side, sidesOf, type StepRun, valueFrom } from './chain-model';

export * from './chain-model';
export * from './chain-text';
export * from './chain-code';
export * from './chain-figure';
export * from './chain-trace';

/** @returns `result` as figures write it: `"cb2"`, or `Error: eb3` for a Failure. */
function outcomeOf(result: unknown): Outcome {
  if (result instanceof Failure) {
    const value = result.value;
    const name = value instanceof Error ? value.name : result.type?.name ?? 'null';
    return { kind: 'failure', text: `${name}: ${result.getErrorMessage()}` };
  }
  return { kind: 'result', text: typeof result === 'string' ? JSON.stringify(result) : String(result) };
}

function checkSteps(steps: readonly ChainStep[]): void {
  if (!Array.isArray(steps)) {
    throw new TypeError(`Expected \`steps\` to be an array, got \`${String(steps)}\` (${typeof steps})`);
  }
  steps.forEach((step, i) => {
    const ok =
      typeof step === 'object' &&
      step !== null &&
      ('both' in step
        ? step.both === 'return' || step.both === 'throw'
        : ACTIONS.includes(step.callback) && ACTIONS.includes(step.errback));
    if (!ok) {
      throw new TypeError(
        `Expected \`steps[${i}]\` to be {callback, errback} (each return, throw or pass) or {both: return|throw}, got \`${JSON.stringify(step)}\` (${typeof step})`,
      );
    }
  });
}

/** What each step's function recorded: the side that ran, what it was given and what it did. */
type Seen = Map<number, { side: Side; input: Outcome; output: Outcome }>;

/**
 * Adds `steps` to `deferred`, each function recording in `seen` what it was given, then
 * returning `"cbN"`/`"ebN"` or throwing `Error("cbN")`/`Error("ebN")` (prefixed with `name`).
 * With `nested`, the callback of step `nested.at` returns the Deferred `nested.inner` instead.
 */
function addRecordedSteps(
  deferred: Deferred<unknown>,
  steps: readonly ChainStep[],
  seen: Seen,
  name?: string,
  nested?: { at: number; inner: Deferred<unknown> },
): void {
  const make = (i: number, side: Side, action: Action) => (result: unknown) => {
    const value = valueFrom(side, i + 1, name);
    if (seen.has(i)) throw new Error(`step ${i + 1} ran twice`); // a Deferred never does this
    if (nested !== undefined && i === nested.at && side === 'callback') {
      // Its output is what the inner Deferred fires with: runNestedChain fills it in.
      seen.set(i, { side, input: outcomeOf(result), output: outcomeOf(result) });
      return nested.inner;
    }
    const output: Outcome =
      action === 'return' ? { kind: 'result', text: JSON.stringify(value) } : { kind: 'failure', text: `Error: ${value}` };
    seen.set(i, { side, input: outcomeOf(result), output });
    if (action === 'throw') throw new Error(value);
    return value;
  };
  steps.forEach((step, i) => {
    if ('both' in step) {
      const onResult = make(i, 'callback', step.both);
      const onFailure = make(i, 'errback', step.both);
      deferred.addBoth((result) => (result instanceof Failure ? onFailure(result) : onResult(result)));
    } else if (step.callback !== 'pass' && step.errback !== 'pass') {
      deferred.addCallbacks(make(i, 'callback', step.callback), make(i, 'errback', step.errback));
    } else if (step.callback !== 'pass') {
      deferred.addCallback(make(i, 'callback', step.callback));
    } else if (step.errback !== 'pass') {
      deferred.addErrback(make(i, 'errback', step.errback));
    }
  });
}

/** The path the result took, from what the steps recorded: a step none of whose sides ran passes it on. */
function pathFrom(steps: readonly ChainStep[], initial: Outcome, seen: Seen): StepRun[] {
  let current = initial;
  return steps.map((step, i): StepRun => {
    const record = seen.get(i);
    const run: StepRun =
      record === undefined
        ? { step, ran: null, input: current, output: current }
        : { step, ran: record.side, input: record.input, output: record.output };
    current = run.output;
    return run;
  });
}

function checkFire(fire: Side): void {
  if (fire !== 'callback' && fire !== 'errback') {
    throw new TypeError(`Expected \`fire\` to be callback or errback, got \`${String(fire)}\` (${typeof fire})`);
  }
}

/** Fires `deferred` as the simulator does: with `"start"`, or with `Error("start")`. @returns what it was fired with. */
function fireWith(deferred: Deferred<unknown>, fire: Side): Outcome {
  if (fire === 'callback') deferred.callback('start');
  else deferred.errback(new Error('start'));
  return fire === 'callback' ? { kind: 'result', text: '"start"' } : { kind: 'failure', text: 'Error: start' };
}

/** The Deferred's result now; a failure is handled (once read), so it is not logged as unhandled when collected. */
function finalOf(deferred: Deferred<unknown>): Outcome {
  const final = outcomeOf(deferred.result);
  if (final.kind === 'failure') deferred.addErrback(() => undefined);
  return final;
}

/**
 * Build a real Deferred with `steps`, fire it, and report the path the result took. Each
 * function records what it was given, then returns `"cbN"`/`"ebN"` or throws `Error("cbN")`/
 * `Error("ebN")` (N: the step's number from 1). Nothing here applies the chain's rules: which
 * function ran, and with what, is what the Deferred did. A final failure is handled afterwards
 * (once read), so the Deferred is not logged as an unhandled error when it is collected.
 * @param steps - the chain, first step first.
 * @param fire - `'callback'` fires with `"start"`, `'errback'` with `Error("start")`.
 * @returns the run: the path, step by step, and the final result.
 * @throws TypeError when a step or `fire` is not one of the forms above.
 */
export function runChain(steps: readonly ChainStep[], fire: Side = 'callback'): ChainRun {
  checkSteps(steps);
  checkFire(fire);
  const seen: Seen = new Map();
  const deferred = new Deferred<unknown>();
  addRecordedSteps(deferred, steps, seen);
  const initial = fireWith(deferred, fire);
  const final = finalOf(deferred);
  return { steps: [...steps], fire, initial, path: pathFrom(steps, initial, seen), final };
}

/**
 * Build two real Deferreds, `outer` and `inner`, whose outer step `at` (from 0) has a callback
 * that returns `inner`. Fire the outer one with `"start"`, note that it paused, then fire the
 * inner one as `innerFire` says, and report both paths. The outer path's step `at` outputs what
 * the inner chain ended with: what the outer chain resumed with.
 * @throws TypeError when a step, `at` or `innerFire` is not valid, or step `at` has no callback
 *   that returns.
 */
export function runNestedChain(
  outerSteps: readonly ChainStep[],
  at: number,
  innerSteps: readonly ChainStep[],
  innerFire: Side = 'callback',
): NestedChainRun {
  checkSteps(outerSteps);
  checkSteps(innerSteps);
  checkFire(innerFire);
  if (!Number.isInteger(at) || at < 0 || at >= outerSteps.length || sidesOf(outerSteps[at]).callback !== 'return') {
    throw new TypeError(
      `Expected \`at\` to be the index of an outer step whose callback returns, got \`${String(at)}\` (${typeof at})`,
    );
  }
  const inner = new Deferred<unknown>();
  const innerSeen: Seen = new Map();
  addRecordedSteps(inner, innerSteps, innerSeen, 'inner');
  const outer = new Deferred<unknown>();
  const outerSeen: Seen = new Map();
  addRecordedSteps(outer, outerSteps, outerSeen, 'outer', { at, inner });

  const outerInitial = fireWith(outer, 'callback');
  const pausedBeforeInner = outer.paused;
  const stepsBeforeInner = outerSeen.size;
  const innerInitial = fireWith(inner, innerFire);
  const innerPath = pathFrom(innerSteps, innerInitial, innerSeen);
  const innerFinal = innerPath.length > 0 ? innerPath[innerPath.length - 1].output : innerInitial;
  const record = outerSeen.get(at);
  if (record !== undefined) record.output = innerFinal; // what the outer chain resumed with
  return {
    outer: {
      steps: [...outerSteps],
      fire: 'callback',
      initial: outerInitial,
      path: pathFrom(outerSteps, outerInitial, outerSeen),
      final: finalOf(outer),
      name: 'outer',
      returnedDeferred: { step: at, name: 'inner' },
    },
    inner: { steps: [...innerSteps], fire: innerFire, initial: innerInitial, path: innerPath, final: innerFinal, name: 'inner', handedTo: 'outer' },
    pausedBeforeInner,
    stepsBeforeInner,
  };
}
