// Chapter 08: the Get Poetry Now! client, reactor version 4.0: getPoetry(host, port) returns a
// Deferred, and the caller adds its callback and errback to it (tested in test/poetry/client-4.test.ts).
import { DeferredList, type DeferredListEntry } from '../../defer/deferred-list';
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type ReactorClientOptions, taskName } from './common';

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
  results: DeferredListEntry<string>[];
  /** Seconds from the first connection attempt until the reactor stopped. */
  elapsed: number;
}

/**
 * The client's main: a getPoetry per address, and on each Deferred the callback and errback that
 * 3.1 passed to getPoetry; a DeferredList of them stops the reactor once every download is over,
 * either way. Prints each poem's arrival as it happens, failures as `Poem failed: ...` (to stderr),
 * and a last line with the count and the time.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty.
 */
export async function runClient4(addresses: readonly Address[], options: ReactorClientOptions = {}): Promise<Client4Result> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  let results: DeferredListEntry<string>[] = [];

  const gotPoem = (poem: string, task: string, from: string): string => {
    log(`${task}: got poem from ${from} (${Buffer.byteLength(poem)} bytes)`);
    poems.push(poem);
    return poem;
  };

  // Returning the Failure keeps the download failed, for the DeferredList to record.
  const poemFailed = (err: Failure): Failure => {
    logError(`Poem failed: ${err}`);
    errors.push(err);
    return err;
  };

  const downloads = addresses.map(([host, port], i) => {
    const d = getPoetry(host, port, reactor);
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    return d;
  });
  // consumeErrors: the failures were reported above, so none is left unhandled in its Deferred.
  new DeferredList(downloads, { consumeErrors: true }).addCallback((entries) => {
    results = entries;
    reactor.stop();
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed };
}
