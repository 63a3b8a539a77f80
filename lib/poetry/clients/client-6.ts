// Chapter 12: the Get Poetry Now! client, reactor version 6.0: each poem is transformed on the
// transform server; the download's callback returns the transform's Deferred, and the chain waits
// for it, as chapter 13 explains (tested in test/poetry/transform-clients.test.ts).
import type { Deferred } from '../../defer/deferred';
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { transformPoem } from '../transform/client';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type PoemResult, poemResult, taskName, timed, type TransformClientOptions, transformOptions } from './common';
import type { TransformingClientResult } from './client-5';

/**
 * The client's main: as 5.0, but the callback `tryToTransform` sends the poem to the transform
 * server and *returns* the transform's Deferred (with an errback that falls back to the poem as
 * it came). A callback that returns a Deferred pauses the download's chain until that Deferred
 * fires, and the chain goes on with its result: so `gotPoem`, `poemFailed` and `poemDone` stay on
 * the download's chain, as in clients 4.0 and 5.0, and run once the transform is over.
 * With `options.timeline`, records each poem's download (a wait) and transform (a run) in its task's lane.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty or `xform` is missing.
 */
export async function runClient6(addresses: readonly Address[], options: TransformClientOptions): Promise<TransformingClientResult> {
  const { reactor, log, logError, timeline } = clientContext(addresses, options);
  const { xform, transform } = transformOptions(options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: PoemResult[] = new Array(addresses.length);

  // Version 6.0's new step: transform on the server, and return the transform's Deferred; the
  // chain waits for it. (`timed` only records the span, when the options ask for a timeline.)
  const tryToTransform = (poem: string, task: string): Deferred<string> =>
    timed(transformPoem(xform[0], xform[1], transform, poem, reactor), timeline, task, 'run').addErrback((err: Failure) => {
      logError(`Transform ${transform} failed: ${err}`);
      return poem;
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
    const task = taskName(i + 1);
    const d = timed(getPoetry(host, port, reactor), timeline, task, 'wait');
    d.addCallback(tryToTransform, task);
    d.addCallbacks(gotPoem, poemFailed, { callbackArgs: [task, formatAddress([host, port])] });
    d.addBoth(poemDone, i);
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed };
}
