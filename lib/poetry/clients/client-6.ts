// Chapter 12: the Get Poetry Now! client, reactor version 6.0: each poem is transformed on the
// transform server; the download's callback starts the transform and its own callbacks print
// the result (tested in test/poetry/transform-clients.test.ts).
import type { DeferredListEntry } from '../../defer/deferred-list';
import type { Failure } from '../../defer/failure';
import { getPoetry } from '../get-poetry';
import { transformPoem } from '../transform/client';
import { type Address, formatAddress } from '../../sockets/address';
import { formatElapsed } from '../../timing/format-elapsed';
import { clientContext, type ReactorClientOptions, taskName } from './common';
import type { TransformingClientResult } from './client-5';

/** Options of the clients that transform on the server, 6.0 and 7.0. */
export interface TransformClientOptions extends ReactorClientOptions {
  /** The transform server's address. */
  xform: Address;
  /** The transform to ask for (default `cummingsify`). */
  transform?: string;
}

/**
 * Checks the transform server's address and the transform's name.
 * @returns the address and the name (with its default).
 * @throws TypeError when `xform` is not a [host, port] pair, or `transform` is empty or has a '.'.
 */
export function transformOptions(options: TransformClientOptions): { xform: Address; transform: string } {
  const { xform } = options ?? {};
  if (!Array.isArray(xform) || xform.length !== 2 || typeof xform[0] !== 'string' || !Number.isInteger(xform[1])) {
    throw new TypeError(`Expected \`xform\` to be the transform server's [host, port], got \`${String(xform)}\` (${typeof xform})`);
  }
  const transform = options.transform ?? 'cummingsify';
  if (typeof transform !== 'string' || transform === '' || transform.includes('.')) {
    throw new TypeError(`Expected \`transform\` to be a transform name without a '.', got \`${String(transform)}\` (${typeof transform})`);
  }
  return { xform, transform };
}

/**
 * The client's main: a getPoetry per address, whose callback sends the poem to the transform
 * server with `transformPoem`. That returns a second Deferred, and the callback hangs the rest of
 * the work on it: print the poem (transformed, or as it came when the transform failed) and count
 * the task done. The callback itself returns nothing, so the download's chain is over as soon as
 * the transform has *started*: it cannot tell anyone when the poem is printed, which is why the
 * tasks are counted by hand here, as in client 3.1. Chapter 13's client 7.0 fixes that.
 * @returns the poems, the failures, each address's result, and the total time.
 * @throws TypeError when `addresses` is empty or `xform` is missing.
 */
export async function runClient6(addresses: readonly Address[], options: TransformClientOptions): Promise<TransformingClientResult> {
  const { reactor, log, logError } = clientContext(addresses, options);
  const { xform, transform } = transformOptions(options);
  const start = reactor.seconds();
  const poems: string[] = [];
  const errors: Failure[] = [];
  const results: DeferredListEntry<string>[] = new Array(addresses.length);
  let done = 0;

  const poemDone = (): void => {
    done += 1;
    if (done === addresses.length) reactor.stop();
  };

  // Version 6.0's new step: transform on the server. The transform's Deferred gets callbacks of
  // its own; the download's chain does not wait for it.
  const tryToTransform = (poem: string, i: number, from: string): void => {
    transformPoem(xform[0], xform[1], transform, poem, reactor)
      .addErrback((err: Failure) => {
        logError(`Transform ${transform} failed: ${err}`);
        return poem;
      })
      .addCallback((newPoem) => {
        results[i] = [true, gotPoem(newPoem, taskName(i + 1), from)];
      })
      .addBoth(poemDone);
  };

  const gotPoem = (poem: string, task: string, from: string): string => {
    log(`${task}: got poem from ${from} (${Buffer.byteLength(poem)} bytes)`);
    poems.push(poem);
    return poem;
  };

  const poemFailed = (err: Failure, i: number): void => {
    logError(`Poem failed: ${err}`);
    errors.push(err);
    results[i] = [false, err];
    poemDone();
  };

  addresses.forEach(([host, port], i) => {
    const d = getPoetry(host, port, reactor);
    d.addCallbacks(tryToTransform, poemFailed, { callbackArgs: [i, formatAddress([host, port])], errbackArgs: [i] });
  });
  await reactor.run();
  const elapsed = reactor.seconds() - start;
  log(`Got ${poems.length} poems${errors.length > 0 ? ` (${errors.length} failed)` : ''} in ${formatElapsed(elapsed)}`);
  return { poems, errors, results, elapsed };
}
