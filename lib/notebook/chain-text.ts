// Chapter 09 (the chain simulator): a chain written as text, read and written back.
// Tests: test/notebook/deferred-chain.test.ts.
import { type Action, ACTIONS, type ChainStep, type Side } from './chain-model';

const ABBREVIATIONS: Record<string, Action> = { r: 'return', t: 'throw', p: 'pass', '-': 'pass' };

/**
 * Read a chain written as text, the simulator's input in chapter 09. Steps are separated by
 * commas; a step is `CALLBACK/ERRBACK`, each side `return`, `throw` or `pass` (or `r`, `t`,
 * `p`, `-`), or `both:return` / `both:throw` for one function added with `addBoth`. Case and
 * spaces do not matter; an empty text is a chain without steps.
 * @example parseChain('return/pass, throw/-, pass/return') // addCallback, addCallback, addErrback
 * @param text - the chain.
 * @returns the steps, first first.
 * @throws TypeError naming the first step that is not written this way.
 */
export function parseChain(text: string): ChainStep[] {
  if (typeof text !== 'string') {
    throw new TypeError(`Expected \`text\` to be a string, got \`${String(text)}\` (${typeof text})`);
  }
  const words = text.toLowerCase().replace(/\s+/g, '');
  if (words === '') return [];
  return words.split(',').map((word, i): ChainStep => {
    const both = /^both:(return|throw|r|t)$/.exec(word);
    if (both) return { both: both[1].startsWith('t') ? 'throw' : 'return' };
    const pair = /^([a-z-]+)\/([a-z-]+)$/.exec(word);
    const side = (name: string): Action | undefined =>
      (ACTIONS as readonly string[]).includes(name) ? (name as Action) : ABBREVIATIONS[name];
    const callback = pair ? side(pair[1]) : undefined;
    const errback = pair ? side(pair[2]) : undefined;
    if (callback === undefined || errback === undefined) {
      throw new TypeError(
        `Expected step ${i + 1} to be CALLBACK/ERRBACK (each return, throw or pass) or both:return|throw, got \`${word}\` (string)`,
      );
    }
    return { callback, errback };
  });
}

/** @returns `steps` written as `parseChain` reads them: `return/pass, both:throw`. */
export function formatChain(steps: readonly ChainStep[]): string {
  return steps.map((step) => ('both' in step ? `both:${step.both}` : `${step.callback}/${step.errback}`)).join(', ');
}

/**
 * Read how a chain is fired: `callback` or `errback` (case and spaces do not matter).
 * @throws TypeError for anything else.
 */
export function parseFire(text: string): Side {
  const word = String(text).trim().toLowerCase();
  if (word === 'callback' || word === 'errback') return word;
  throw new TypeError(`Expected \`fire\` to be callback or errback, got \`${String(text)}\` (${typeof text})`);
}
