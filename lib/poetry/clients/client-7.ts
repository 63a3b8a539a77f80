// Chapter 13: the Get Poetry Now! client, reactor version 7.0: the download's callback returns
// the transform's Deferred, and the chain waits for it (tested in test/poetry/transform-clients.test.ts).
import type { Deferred } from '../../defer/deferred';
import { DeferredList, type DeferredListEntry } from '../../defer/deferred-list';
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { transformPoem } from '../transform/client';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, taskName } from './common';
import type { TransformingClientResult } from './client-5';
import { type TransformClientOptions, transformOptions } from './client-6';

/**
 * The client's main: as 6.0, but the callback `tryToTransform` *returns* the transform's
 * Deferred (with an errback that falls back to the poem as it came). A callback that returns a
 * Deferred pauses the download's chain until that Deferred fires, and the chain goes on with its
 * result: so `gotPoem` and `poemFailed` stay on the download's chain, as in client 4.0, and a
 * DeferredList of the downloads stops the reactor once every poem is printed.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty or `xform` is missing.
 */
export async function runClient7(addresses: readonly Address[], options: TransformClientOptions): Promise<TransformingClientResult> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const { xform, transform } = transformOptions(options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  let results: DeferredListEntry<string>[] = [];

  // Version 7.0's new step: return the transform's Deferred; the chain waits for it.
  const tryToTransform = (poem: string): Deferred<string> =>
    transformPoem(xform[0], xform[1], transform, poem, reactor).addErrback((err: Failure) => {
      logError(`Transform ${transform} failed: ${err}`);
      return poem;
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
    const d = getPoetry(host, port, reactor);
    d.addCallback(tryToTransform);
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
