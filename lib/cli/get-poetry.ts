// Chapters 06-08 and 13: the reactor poetry client, latest version: every poem at once, each
// printed when complete; with --xform, each transformed on a transform server first
// (tested in test/cli/reactor-programs.test.ts, test/cli/get-poetry-xform.test.ts and test/faults/clients.test.ts).
//   npx tsx lib/cli/get-poetry.ts [--max-bytes N] [--timeout SECONDS] [--xform [HOST:]PORT [--transform NAME]] [HOST:]PORT ...
import { constants } from 'node:buffer';
import { poemFailedLine } from '../blocking/poem-limits';
import { DeferredList } from '../defer/deferred-list';
import type { Failure } from '../defer/failure';
import { describeError } from '../log/index';
import { getPoetry } from '../poetry/get-poetry';
import { transformPoem } from '../poetry/transform/client';
import { reactor } from '../reactor/default';
import { type Address, formatAddress, parseAddress } from '../sockets/address';
import { addressArguments, LIMIT_OPTIONS, limitOptions, parseOptions, runMain, UsageError } from './shared/program';

/** Seconds without a byte (or to connect) before a poem fails: a minute of silence means a stuck server. */
const TIMEOUT = 60;

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { ...LIMIT_OPTIONS, xform: { type: 'string' }, transform: { type: 'string' } });
  const addresses = addressArguments(positionals);
  const limits = limitOptions(values, TIMEOUT);
  // Each poem is printed as a string, which holds about 512 MiB at most.
  if (limits.maxBytes > constants.MAX_STRING_LENGTH) throw new UsageError(`--max-bytes must be at most ${constants.MAX_STRING_LENGTH}, got \`${values['max-bytes']}\``);
  const xform = typeof values.xform === 'string' ? xformAddress(values.xform) : undefined;
  const name = typeof values.transform === 'string' ? values.transform : 'cummingsify';
  if (values.transform !== undefined && xform === undefined) throw new UsageError('--transform needs --xform [HOST:]PORT');
  if (name === '' || name.includes('.')) throw new UsageError(`--transform must be a name without a '.', got \`${name}\``);
  let failed = 0;
  const poems = addresses.map(([host, port]) => {
    const d = getPoetry(host, port, reactor, limits);
    // Client 6.0's lesson: the callback returns the transform's Deferred and the chain waits for it;
    // when the transform fails, its errback falls back to the poem as it came.
    if (xform !== undefined) {
      d.addCallback((poem) => {
        const transformed = transformPoem(xform[0], xform[1], name, poem);
        // A transform server that never answers must not hold the poem forever either.
        if (limits.timeout !== null) transformed.addTimeout(limits.timeout, reactor);
        return transformed.addErrback((reason: Failure) => {
          process.stderr.write(`Transform ${name} failed: ${reason.getErrorMessage()}\n`);
          return poem;
        });
      });
    }
    return d.addCallbacks(
      (poem) => {
        process.stdout.write(poem.endsWith('\n') ? poem : `${poem}\n`);
      },
      (reason: Failure) => {
        failed++;
        process.stderr.write(`${poemFailedLine(formatAddress([host, port]), reason.getErrorMessage())}\n`);
      },
    );
  });
  new DeferredList(poems).addBoth(() => reactor.stop());
  await reactor.run();
  if (failed > 0) process.exitCode = 1;
});

/** Parses --xform. @throws UsageError when it is not [HOST:]PORT. */
function xformAddress(text: string): Address {
  try {
    return parseAddress(text);
  } catch (error) {
    throw new UsageError(`--xform: ${describeError(error)}`);
  }
}
