// Chapter 09 (the chain simulator: which path a result takes through callbacks and errbacks).
// This file runs a chain on a real Deferred; its parts are chain-model.ts (what a chain is),
// chain-text.ts (parseChain), chain-code.ts (chainCode), chain-figure.ts (renderChain) and
// chain-trace.ts (traceDeferreds: real Deferreds' chains), all re-exported here. Tests: test/notebook/deferred-chain.test.ts.
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import { type Action, ACTIONS, type ChainRun, type ChainStep, type Outcome, type Side, type StepRun, valueFrom } from './chain-model';

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
  if (fire !== 'callback' && fire !== 'errback') {
    throw new TypeError(`Expected \`fire\` to be callback or errback, got \`${String(fire)}\` (${typeof fire})`);
  }
  const seen = new Map<number, { side: Side; input: Outcome; output: Outcome }>();
  const deferred = new Deferred<unknown>();
  // The function of `side` at step i: records that it ran, then does what the step says.
  const make = (i: number, side: Side, action: Action) => (result: unknown) => {
    const value = valueFrom(side, i + 1);
    const output: Outcome =
      action === 'return' ? { kind: 'result', text: JSON.stringify(value) } : { kind: 'failure', text: `Error: ${value}` };
    if (seen.has(i)) throw new Error(`step ${i + 1} ran twice`); // a Deferred never does this
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
  if (fire === 'callback') deferred.callback('start');
  else deferred.errback(new Error('start'));
  const final = outcomeOf(deferred.result);
  if (final.kind === 'failure') deferred.addErrback(() => undefined);

  const initial: Outcome = fire === 'callback' ? { kind: 'result', text: '"start"' } : { kind: 'failure', text: 'Error: start' };
  let current = initial;
  const path = steps.map((step, i): StepRun => {
    const record = seen.get(i);
    const run: StepRun =
      record === undefined
        ? { step, ran: null, input: current, output: current }
        : { step, ran: record.side, input: record.input, output: record.output };
    current = run.output;
    return run;
  });
  return { steps: [...steps], fire, initial, path, final };
}
