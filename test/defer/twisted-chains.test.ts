// Chapter 09's claim, reproduced: every chain of up to three steps the chain simulator can
// express (lib/notebook/deferred-chain.ts), fired with a result and with a failure, takes the same
// path on our Deferred as on Twisted's. One Python process runs them all (chains in as JSON on
// stdin, paths out as JSON), so the comparison takes seconds. Needs Python 3 with Twisted
// (Debian: python3-twisted); without it the test fails, it is never skipped.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS, type ChainRun, type ChainStep, runChain, type Side } from '../../lib/notebook/deferred-chain';
import { ROOT } from '../helpers/cli';
import { runTwisted } from '../helpers/twisted';

/** The number of chains chapter 09 says were compared ("all 2,928 of up to three steps"), read from the notebook. */
function chapterCount(): number {
  const notebook = readFileSync(path.join(ROOT, 'notebooks', '09-deferred-chains.ipynb'), 'utf8');
  const claim = /all ([\d,]+) of up to three steps/.exec(notebook);
  if (!claim) throw new Error('chapter 09 no longer states how many chains agree with Twisted');
  return Number(claim[1].replace(/,/g, ''));
}

// The same chain on Twisted's Deferred, built as runChain builds it: each function records what
// it was given, then returns "cbN"/"ebN" or raises Exception("cbN")/Exception("ebN").
const TWISTED_CHAINS = String.raw`
import json, sys
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

def outcome(result):
    if isinstance(result, Failure):
        return {'kind': 'failure', 'message': result.getErrorMessage()}
    return {'kind': 'result', 'message': result}

def run(chain):
    d = Deferred()
    ran = [None] * len(chain['steps'])
    given = [None] * len(chain['steps'])
    def make(i, side, action):
        def f(result):
            ran[i] = side
            given[i] = outcome(result)
            value = ('cb' if side == 'callback' else 'eb') + str(i + 1)
            if action == 'throw':
                raise Exception(value)
            return value
        return f
    for i, step in enumerate(chain['steps']):
        if 'both' in step:
            on_result, on_failure = make(i, 'callback', step['both']), make(i, 'errback', step['both'])
            d.addBoth(lambda r, ok=on_result, bad=on_failure: bad(r) if isinstance(r, Failure) else ok(r))
        elif step['callback'] != 'pass' and step['errback'] != 'pass':
            d.addCallbacks(make(i, 'callback', step['callback']), make(i, 'errback', step['errback']))
        elif step['callback'] != 'pass':
            d.addCallback(make(i, 'callback', step['callback']))
        elif step['errback'] != 'pass':
            d.addErrback(make(i, 'errback', step['errback']))
    if chain['fire'] == 'callback':
        d.callback('start')
    else:
        d.errback(Exception('start'))
    final = []
    d.addBoth(lambda r: final.append(outcome(r)))  # also handles a final failure: nothing is logged
    return {'ran': ran, 'given': given, 'final': final[0]}

print(json.dumps([run(chain) for chain in json.load(sys.stdin)]))
`;

interface Outcome {
  kind: 'result' | 'failure';
  message: string;
}

/** What both Deferreds are compared on: the side that ran at each step, what it was given, and the end. */
interface Path {
  ran: Array<Side | null>;
  given: Array<Outcome | null>;
  final: Outcome;
}

interface Chain {
  steps: ChainStep[];
  fire: Side;
}

/** Every step the simulator can express: both sides return, throw or pass, or one function on both. */
const STEPS: ChainStep[] = [
  ...ACTIONS.flatMap((callback) => ACTIONS.map((errback): ChainStep => ({ callback, errback }))),
  { both: 'return' },
  { both: 'throw' },
];

/** Every chain of 0 to `maxSteps` steps, each fired both ways. */
function allChains(maxSteps: number): Chain[] {
  const lists: ChainStep[][] = [[]];
  for (let length = 1, last: ChainStep[][] = [[]]; length <= maxSteps; length++) {
    last = last.flatMap((steps) => STEPS.map((step) => [...steps, step]));
    lists.push(...last);
  }
  return lists.flatMap((steps) => (['callback', 'errback'] as const).map((fire) => ({ steps, fire })));
}

/** An Outcome's text (`"cb2"`, `Error: eb3`) as the message alone, which both languages share. */
function fromText(outcome: ChainRun['final']): Outcome {
  return outcome.kind === 'result'
    ? { kind: 'result', message: JSON.parse(outcome.text) as string }
    : { kind: 'failure', message: outcome.text.replace(/^Error: /, '') };
}

function ourPath(chain: Chain): Path {
  const run = runChain(chain.steps, chain.fire);
  return {
    ran: run.path.map((step) => step.ran),
    given: run.path.map((step) => (step.ran === null ? null : fromText(step.input))),
    final: fromText(run.final),
  };
}

describe('runChain against Twisted', () => {
  const chains = allChains(3);

  it('counts as many chains as chapter 09 says agree with Twisted', () => {
    expect(STEPS).toHaveLength(11);
    expect(chains).toHaveLength(chapterCount()); // 2 ways to fire x (1 + 11 + 11^2 + 11^3) chains
  });

  it('takes the same path as Twisted 22.4 on every chain of up to three steps', async () => {
    const theirs = JSON.parse(await runTwisted(TWISTED_CHAINS, [], JSON.stringify(chains))) as Path[];
    expect(theirs).toHaveLength(chains.length);
    const differ = chains
      .map((chain, i) => ({ chain, ours: ourPath(chain), theirs: theirs[i] }))
      .filter(({ ours, theirs }) => JSON.stringify(ours) !== JSON.stringify(theirs));
    expect(differ.slice(0, 5)).toEqual([]);
    // Both kinds of ending occur, so the comparison is not of trivia.
    expect(new Set(theirs.map((path) => path.final.kind))).toEqual(new Set(['result', 'failure']));
  });
});
