// Chapter 10: the Get Poetry Now! client, reactor version 5.0: each poem is cummingsified on the
// client, by a transform that fails at random (tested in test/poetry/transform-clients.test.ts).
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { FlakyCummingsify, GibberishError } from '../transform/flaky';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type PoemResult, poemResult, type ReactorClientOptions, taskName } from './common';

/** Options of the transforming clients, 5.0 and 5.1: the common ones and a seed. */
export interface Client5Options extends ReactorClientOptions {
  /**
   * The seed of the flaky cummingsify (default: a random one, reported in the result). Task n
   * uses seed + n - 1, so what happens to each poem does not depend on the order they arrive in.
   */
  seed?: number;
}

/** What a run of a transforming client (5.0 to 8.0) got. */
export interface TransformingClientResult {
  /** The poems printed (transformed, or as they came when the transform failed), in the order they were printed. */
  poems: string[];
  /** The failures that lost a poem, in the order they happened. */
  errors: Failure[];
  /** One `[true, poem]` or `[false, failure]` entry per address, in the order of the addresses. */
  results: PoemResult[];
  /** Seconds from the first connection attempt until the reactor stopped. */
  elapsed: number;
}

/** What a run of client 5.0 or 5.1 got: a TransformingClientResult, and the seed used. */
export interface Client5Result extends TransformingClientResult {
  seed: number;
}

/** A random seed, for a run that was given none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * The client's main: client 4.0 with one more callback on each Deferred, `tryToCummingsify`,
 * between the download and `gotPoem`. When cummingsify fails with its bug (a ValueError), that
 * callback catches it, prints `Cummingsify failed!` and passes the poem on as it came; a
 * GibberishError it throws on, so the chain goes to `poemFailed` and that poem is lost, as if
 * its download had failed.
 * @returns the poems, the failures, each address's result, the time, and the seed.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient5(addresses: readonly Address[], options: Client5Options = {}): Promise<Client5Result> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const seed = options.seed ?? randomSeed();
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: PoemResult[] = new Array(addresses.length);

  // Version 5.0's new step: a try/catch in a callback, which lets one kind of error through.
  const tryToCummingsify = (poem: string, flaky: FlakyCummingsify): string => {
    try {
      return flaky.cummingsify(poem);
    } catch (error) {
      if (error instanceof GibberishError) throw error;
      logError('Cummingsify failed!');
      return poem;
    }
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
    d.addCallback(tryToCummingsify, new FlakyCummingsify({ seed: seed + i, bug: 'ValueError' }));
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    d.addBoth(poemDone, i);
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed, seed };
}
