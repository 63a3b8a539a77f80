// Chapter 17: the Get Poetry Now! client, reactor version 7.0: client 6.0's callbacks written as
// one generator driven by inlineCallbacks; client-7-async.ts spells it with async/await and
// ensureDeferred (tested in test/poetry/client-8.test.ts).
import type { Deferred } from '../../defer/deferred';
import { Failure } from '../../defer/failure';
import { inlineCallbacks } from '../../defer/inline-callbacks';
import { getPoetry } from '../get-poetry';
import { transformPoem } from '../transform/client';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type PoemResult, poemResult, taskName, type TransformClientOptions, transformOptions } from './common';
import type { TransformingClientResult } from './client-5';

/**
 * The client's main: as 6.0, but the download and the transform are one generator,
 * `getTransformedPoem`, that `inlineCallbacks` turns into a function returning a Deferred. It
 * yields the download's Deferred and gets the poem back at the `yield` (a failed download is
 * thrown there, and, uncaught, fails the Deferred); then it yields the transform's Deferred
 * inside try/catch, and falls back to the poem as it came. `gotPoem` and `poemFailed` go on that
 * Deferred, and `poemDone` counts the downloads and stops the reactor, as in 6.0.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty or `xform` is missing.
 */
export async function runClient7(addresses: readonly Address[], options: TransformClientOptions): Promise<TransformingClientResult> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const { xform, transform } = transformOptions(options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: PoemResult[] = new Array(addresses.length);

  // Version 7.0's new step: the callbacks become a generator; each `yield` waits for a Deferred.
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
    const d: Deferred<string> = getTransformedPoem(host, port);
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    d.addBoth(poemDone, i);
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed };
}
