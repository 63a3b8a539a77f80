// Chapters 07 and 10: the chains of real Deferreds (the chapter's own, or a client's), recorded
// while they run, so that chain-figure.ts can draw them as it draws the simulator's of chapter 09.
// Tests: test/notebook/chain-trace.test.ts.
import { Deferred } from '../defer/deferred';
import { Failure } from '../defer/failure';
import type { Action, ChainRun, ChainStep, Outcome, Side, StepRun } from './chain-model';

// The Deferred methods that add a step or fire, replaced while a trace runs.
const METHODS = ['addCallbacks', 'addCallback', 'addErrback', 'addBoth', 'callback', 'errback'] as const;
type Method = (typeof METHODS)[number];
type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type DeferredMethod = (this: Deferred<unknown>, ...args: unknown[]) => unknown;

/** One step as it was added and, if it ran, what it did. */
interface TracedStep {
  both: boolean;
  names: Partial<Record<Side, string>>;
  ran?: Side;
  action?: 'return' | 'throw';
  input?: Outcome;
  output?: Outcome;
}

/** One Deferred: how it was fired (if it was, while traced) and its steps, in order. */
interface TracedChain {
  initial?: Outcome;
  steps: TracedStep[];
}

/** `text` cut to `max` characters, the cut marked with an ellipsis (a string keeps its closing quote). */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.startsWith('"') ? `${text.slice(0, max - 2)}…"` : `${text.slice(0, max - 1)}…`;
}

function typeName(failure: Failure): string {
  return failure.value instanceof Error ? failure.value.name : failure.type?.name ?? 'null';
}

/** A result as a figure writes it, short: `"a poem…"`, `12`, or `GibberishError: the poem…`. */
export function traceOutcome(result: unknown): Outcome {
  if (result instanceof Failure) return { kind: 'failure', text: shorten(`${typeName(result)}: ${result.getErrorMessage()}`, 32) };
  if (result instanceof Deferred) return { kind: 'result', text: 'a Deferred' };
  return { kind: 'result', text: shorten(typeof result === 'string' ? JSON.stringify(result) : String(result), 24) };
}

/** A function's name as a box shows it (`bound f` is `f`). */
function nameOf(fn: unknown): string {
  const name = typeof fn === 'function' ? fn.name.replace(/^bound /, '') : '';
  return name === '' ? '(anonymous)' : name;
}

/** `fn`, recording into `step` that it ran, with what, and what it returned or threw. */
function recording(step: TracedStep, side: Side | null, fn: unknown): unknown {
  if (typeof fn !== 'function') return fn; // the Deferred itself rejects it
  return function (this: unknown, result: unknown, ...args: unknown[]): unknown {
    step.ran = side ?? (result instanceof Failure ? 'errback' : 'callback');
    step.input = traceOutcome(result);
    try {
      const output = (fn as AnyFunction).call(this, result, ...args);
      step.action = 'return';
      step.output = traceOutcome(output);
      return output;
    } catch (error) {
      step.action = 'throw';
      step.output = traceOutcome(error instanceof Failure ? error : new Failure(error));
      throw error;
    }
  };
}

/** The traced step as the chain model has it, with the boxes' lines: the function's name and what it did. */
function stepRunOf(traced: TracedStep, current: Outcome): StepRun {
  const actionOf = (side: Side): Action =>
    traced.names[side] === undefined ? 'pass' : traced.ran === side ? (traced.action ?? 'return') : 'return';
  const step: ChainStep = traced.both
    ? { both: traced.action ?? 'return' }
    : { callback: actionOf('callback'), errback: actionOf('errback') };
  const labels: Partial<Record<Side, string[]>> = {};
  for (const side of ['callback', 'errback'] as const) {
    const name = traced.names[side];
    if (name === undefined) continue;
    let what = 'did not run';
    if (traced.ran === side && traced.output !== undefined) {
      what =
        traced.action === 'throw'
          ? `threw ${shorten(traced.output.text.split(':')[0], 13)}`
          : traced.output.kind === 'failure'
            ? 'returned a Failure'
            : `returned ${shorten(traced.output.text, 10)}`;
    }
    labels[side] = [shorten(name, 17), what];
  }
  if (traced.ran === undefined || traced.input === undefined || traced.output === undefined) {
    return { step, ran: null, input: current, output: current, labels };
  }
  return { step, ran: traced.ran, input: traced.input, output: traced.output, labels };
}

/** A traced Deferred as a ChainRun (for renderChain). */
function chainRunOf(deferred: Deferred<unknown>, traced: TracedChain): ChainRun {
  const initial = traced.initial ?? traced.steps.find((step) => step.input !== undefined)?.input ?? traceOutcome(undefined);
  let current = initial;
  const path = traced.steps.map((step) => {
    const run = stepRunOf(step, current);
    current = run.output;
    return run;
  });
  const fire: Side = initial.kind === 'result' ? 'callback' : 'errback';
  return {
    steps: path.map((step) => step.step),
    fire,
    initial,
    fireText: fire === 'callback' ? 'd.callback(result)' : 'd.errback(failure)',
    path,
    final: traceOutcome(deferred.result),
  };
}

/**
 * Runs `body` and records the chain of every Deferred that gets a step while it runs: which
 * function was added with which method, which one ran, what it was given and what it returned
 * or threw. It does so by replacing Deferred's `addCallbacks`, `addCallback`, `addErrback`,
 * `addBoth`, `callback` and `errback` with versions that wrap each function, until `body` is
 * done (they are put back even if it throws); the Deferreds behave exactly as they would
 * untraced. Nothing is inferred from Twisted's rules: the path is what the Deferred did.
 * @param body - code that builds and fires Deferreds (a client run, a chapter's example); what it
 *   returns is awaited, so a Deferred it returns is waited for (return something else).
 * @returns what `body` returned, and a ChainRun for each Deferred that fired, in the order
 *   their first steps were added.
 */
export async function traceDeferreds<T>(body: () => T | PromiseLike<T>): Promise<{ value: T; runs: ChainRun[] }> {
  const prototype = Deferred.prototype as unknown as Record<Method, DeferredMethod>;
  const originals = Object.fromEntries(METHODS.map((method) => [method, prototype[method]])) as Record<Method, DeferredMethod>;
  const chains = new Map<Deferred<unknown>, TracedChain>();
  const chainOf = (deferred: Deferred<unknown>): TracedChain => {
    let chain = chains.get(deferred);
    if (chain === undefined) chains.set(deferred, (chain = { steps: [] }));
    return chain;
  };
  // Adds a step to the record, then calls the original with the wrapped functions (callbacks may run inside it).
  const adding = (method: Method, build: (step: TracedStep, args: unknown[]) => unknown[], step: (args: unknown[]) => TracedStep) =>
    function (this: Deferred<unknown>, ...args: unknown[]): unknown {
      const chain = chainOf(this);
      const traced = step(args);
      chain.steps.push(traced);
      try {
        return originals[method].apply(this, build(traced, args));
      } catch (error) {
        chain.steps.splice(chain.steps.indexOf(traced), 1);
        throw error;
      }
    };
  prototype.addCallbacks = adding(
    'addCallbacks',
    (traced, [callback, errback, ...rest]) => [recording(traced, 'callback', callback), errback == null ? errback : recording(traced, 'errback', errback), ...rest],
    ([callback, errback]) => ({ both: false, names: { callback: nameOf(callback), ...(errback == null ? {} : { errback: nameOf(errback) }) } }),
  );
  prototype.addCallback = adding(
    'addCallback',
    (traced, [callback, ...rest]) => [recording(traced, 'callback', callback), ...rest],
    ([callback]) => ({ both: false, names: { callback: nameOf(callback) } }),
  );
  prototype.addErrback = adding(
    'addErrback',
    (traced, [errback, ...rest]) => [recording(traced, 'errback', errback), ...rest],
    ([errback]) => ({ both: false, names: { errback: nameOf(errback) } }),
  );
  prototype.addBoth = adding(
    'addBoth',
    (traced, [fn, ...rest]) => [recording(traced, null, fn), ...rest],
    ([fn]) => ({ both: true, names: { callback: nameOf(fn), errback: nameOf(fn) } }),
  );
  prototype.callback = function (this: Deferred<unknown>, result: unknown): unknown {
    if (!this.called) chainOf(this).initial ??= traceOutcome(result);
    return originals.callback.call(this, result);
  };
  prototype.errback = function (this: Deferred<unknown>, reason: unknown): unknown {
    if (!this.called) chainOf(this).initial ??= traceOutcome(reason instanceof Failure ? reason : new Failure(reason));
    return originals.errback.call(this, reason);
  };
  try {
    const value = await body();
    const runs = [...chains].filter(([deferred, chain]) => deferred.called && chain.steps.length > 0).map(([deferred, chain]) => chainRunOf(deferred, chain));
    return { value, runs };
  } finally {
    for (const method of METHODS) prototype[method] = originals[method];
  }
}
