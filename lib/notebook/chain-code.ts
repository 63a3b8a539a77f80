// Chapter 09 (the chain simulator): the TypeScript that builds and fires a chain.
// Tests: test/notebook/deferred-chain.test.ts.
import { type Action, type ChainStep, methodOf, type Side, sidesOf, valueFrom } from './chain-model';

/**
 * The TypeScript that builds and fires the chain (what `runChain` does, without its recording).
 * @returns one line a step, plus the Deferred's creation and its firing.
 */
export function chainCode(steps: readonly ChainStep[], fire: Side = 'callback'): string {
  const does = (action: Action, value: string): string =>
    action === 'return' ? `returns "${value}"` : `throws Error("${value}")`;
  const lines: Array<[code: string, comment: string]> = [['const d = new Deferred<string>();', '']];
  steps.forEach((step, i) => {
    const n = i + 1;
    const { callback, errback } = sidesOf(step);
    const cb = does(callback, valueFrom('callback', n));
    const eb = does(errback, valueFrom('errback', n));
    const method = methodOf(step);
    if (method === 'addBoth') lines.push([`d.addBoth(both${n});`, `given a result ${cb}; given a failure ${eb}`]);
    else if (method === 'addCallbacks') lines.push([`d.addCallbacks(callback${n}, errback${n});`, `${cb}; ${eb}`]);
    else if (method === 'addCallback') lines.push([`d.addCallback(callback${n});`, cb]);
    else if (method === 'addErrback') lines.push([`d.addErrback(errback${n});`, eb]);
    else lines.push(['', `step ${n}: pass/pass, nothing to add`]);
  });
  lines.push([fire === 'callback' ? 'd.callback("start");' : 'd.errback(new Error("start"));', '']);
  const width = Math.max(...lines.map(([code]) => code.length));
  return lines
    .map(([code, comment]) => (comment === '' ? code : `${code.padEnd(width)} // ${comment}`.trimStart()))
    .join('\n');
}
