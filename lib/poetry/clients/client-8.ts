// Chapter 18: the Get Poetry Now! client, reactor version 8.0: client 7.0 with a DeferredList of
// the downloads in place of the counting callback (tested in test/poetry/client-8.test.ts).
import type { Deferred } from '../../defer/deferred';
import { DeferredList, type DeferredListEntry } from '../../defer/deferred-list';
import { Failure } from '../../defer/failure';
import { inlineCallbacks } from '../../defer/inline-callbacks';
import { getPoetry } from '../get-poetry';
import { transformPoem } from '../transform/client';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, taskName, type TransformClientOptions, transformOptions } from './common';
import type { TransformingClientResult } from './client-5';

/**
 * The client's main: as 7.0, but nothing counts the downloads: a DeferredList of their Deferreds
 * fires once every one has, with a `[success, result]` entry per download in the order of the
 * addresses, and its callback stops the reactor. `poemFailed` returns the Failure, so the
 * DeferredList records it; `consumeErrors` then ends it in its own Deferred.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty or `xform` is missing.
 */
export async function runClient8(addresses: readonly Address[], options: TransformClientOptions): Promise<TransformingClientResult> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const { xform, transform } = transformOptions(options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  let results: DeferredListEntry<string>[] = [];

  // The generator of 7.0: each `yield` waits for a Deferred.
  const getTransformedPoem = inlineCallbacks(function* (host: string, port: number) {
    const poem = (yield getPoetry(host, port, reactor)) as string;
    try {
      return (yield transformPoem(xform[0], xform[1], transform, poem, reactor)) as string;
    } catch (error) {
      logError(`Transform ${transform} failed: ${new Failure(error)}`);
      return poem;
    }
  });

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
    const d: Deferred<string> = getTransformedPoem(host, port);
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    return d;
  });
  // Version 8.0's new step: a DeferredList fires when every download is over, either way.
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
