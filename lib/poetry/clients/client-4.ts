// Chapter 08: the Get Poetry Now! client, reactor version 4.0: getPoetry(host, port) returns a
// Deferred, and the caller adds its callback and errback to it (tested in test/poetry/client-4.test.ts).
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type PoemResult, poemResult, type ReactorClientOptions, taskName } from './common';

// Version 4.0's protocol, factory and getPoetry are the library's own from here on: every later
// chapter fetches poems with them. Read them in lib/poetry/get-poetry.ts.
export { getPoetry, PoetryClientFactory, PoetryProtocol } from '../get-poetry';

/** What a client 4.0 run got. */
export interface Client4Result {
  /** The poems, in the order they arrived. */
  poems: string[];
  /** The failures, in the order they happened. */
  errors: Failure[];
  /** One `[true, poem]` or `[false, failure]` entry per address, in the order of the addresses. */
  results: PoemResult[];
  /** Seconds from the first connection attempt until the reactor stopped. */
  elapsed: number;
}

/**
 * The client's main: a getPoetry per address, and on each Deferred the callback and errback that
 * 3.1 passed to getPoetry, then `poemDone` (added with addBoth, so it runs either way), which
 * counts the downloads that are over and stops the reactor after the last. Prints each poem's
 * arrival as it happens, failures as `Poem failed: ...` (to stderr), and a last line with the
 * count and the time.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient4(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<Client4Result> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: PoemResult[] = new Array(addresses.length);

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
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    d.addBoth(poemDone, i);
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed };
}
