// Chapter 10: the Get Poetry Now! client, reactor version 5.1: the flaky cummingsify's errors
// are handled by an errback that traps the one it can recover from
// (tested in test/poetry/transform-clients.test.ts).
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { CannotCummingsify, FlakyCummingsify } from '../transform/flaky';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type PoemResult, poemResult, taskName } from './common';
import { type Client5Options, type Client5Result, randomSeed } from './client-5';

/**
 * The client's main: as 5.0, but cummingsify is a plain callback and the error handling moves
 * to an errback, `cummingsifyFailed`, added right after it. The errback traps CannotCummingsify,
 * prints `Cummingsify failed!` and returns the poem the error carries, which sends the chain
 * back to the callbacks; any other failure (a GibberishError, a failed download) `trap`
 * rethrows, and it goes on to `poemFailed`.
 * @returns the poems, the failures, each address's result, the time, and the seed.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient51(addresses: readonly Address[], options: Client5Options = {}): Promise<Client5Result> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const seed = options.seed ?? randomSeed();
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: PoemResult[] = new Array(addresses.length);

  // Version 5.1's new step: an errback that recovers from one type of failure and passes on the others.
  const cummingsifyFailed = (err: Failure): string => {
    err.trap(CannotCummingsify);
    logError('Cummingsify failed!');
    return (err.value as CannotCummingsify).poem;
  };

  const gotPoem = (poem: string, task: string, from: string): string => {
    log(`${task}: got poem from ${from} (${Buffer.byteLength(poem)} bytes)`);
    poems.push(poem);
    return poem;
  };

  // Returning the Failure passes it on to poemDone, which records it.
  const poemFailed = (err: Failure): Failure => {
    logError(`Poem failed: ${err}`);
    errors.push(err);
    return err;
  };

  // Returning nothing ends the chain with a success: no failure is left unhandled.
  const poemDone = (result: string | Failure, i: number): void => {
    results[i] = poemResult(result);
    if (poems.length + errors.length === addresses.length) reactor.stop();
  };

  addresses.forEach(([host, port], i) => {
    const d = getPoetry(host, port, reactor);
    d.addCallback(new FlakyCummingsify({ seed: seed + i, bug: 'CannotCummingsify' }).cummingsify);
    d.addErrback(cummingsifyFailed);
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    d.addBoth(poemDone, i);
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed, seed };
}
