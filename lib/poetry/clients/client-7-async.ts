// Chapter 17: the Get Poetry Now! client, reactor version 7.0 spelled with async/await: client-7.ts's
// generator as an async function, and ensureDeferred to get a Deferred of its promise, so that
// `diff client-7.ts client-7-async.ts` is the change (tested in test/poetry/client-8.test.ts).
import type { Deferred } from '../../defer/deferred';
import { Failure } from '../../defer/failure';
import { ensureDeferred } from '../../defer/inline-callbacks';
import { getPoetry } from '../get-poetry';
import { transformPoem } from '../transform/client';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type PoemResult, poemResult, taskName, type TransformClientOptions, transformOptions } from './common';
import type { TransformingClientResult } from './client-5';

/**
 * The client's main: as 7.0, but `getTransformedPoem` is an async function that `await`s the
 * Deferreds where 7.0's generator yields them (a Deferred is awaitable), and `ensureDeferred`
 * turns the promise it returns into a Deferred for `gotPoem`, `poemFailed` and `poemDone`.
 * Unlike a generator under inlineCallbacks, an async function resumes in a microtask even when
 * the Deferred it awaits has fired already: the printed lines are the same.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty or `xform` is missing.
 */
export async function runClient7Async(addresses: readonly Address[], options: TransformClientOptions): Promise<TransformingClientResult> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const { xform, transform } = transformOptions(options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: PoemResult[] = new Array(addresses.length);

  // Version 7.0's step in today's spelling: an async function; each `await` waits for a Deferred.
  const getTransformedPoem = async function (host: string, port: number): Promise<string> {
    const poem = await getPoetry(host, port, reactor);
    try {
      return await transformPoem(xform[0], xform[1], transform, poem, reactor);
    } catch (error) {
      logError(`Transform ${transform} failed: ${new Failure(error)}`);
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
    const d: Deferred<string> = ensureDeferred(getTransformedPoem(host, port));
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [taskName(i + 1), formatAddress([host, port])] });
    d.addBoth(poemDone, i);
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed };
}
