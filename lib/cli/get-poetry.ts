// Chapters 06-08 and 13: the reactor poetry client, latest version: every poem at once, each
// printed when complete; with --xform, each transformed on a transform server first
// (tested in test/cli/reactor-programs.test.ts and test/cli/get-poetry-xform.test.ts).
//   npx tsx lib/cli/get-poetry.ts [--xform [HOST:]PORT [--transform NAME]] [HOST:]PORT ...
import { DeferredList } from '../defer/deferred-list';
import type { Failure } from '../defer/failure';
import { describeError } from '../log/index';
import { getPoetry } from '../poetry/get-poetry';
import { transformPoem } from '../poetry/transform/client';
import { reactor } from '../reactor/default';
import { type Address, parseAddress } from '../sockets/address';
import { addressArguments, parseOptions, runMain, UsageError } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { xform: { type: 'string' }, transform: { type: 'string' } });
  const addresses = addressArguments(positionals);
  const xform = typeof values.xform === 'string' ? xformAddress(values.xform) : undefined;
  const name = typeof values.transform === 'string' ? values.transform : 'cummingsify';
  if (values.transform !== undefined && xform === undefined) throw new UsageError('--transform needs --xform [HOST:]PORT');
  if (name === '' || name.includes('.')) throw new UsageError(`--transform must be a name without a '.', got \`${name}\``);
  let failed = 0;
  const poems = addresses.map(([host, port]) => {
    const d = getPoetry(host, port);
    // Client 7.0's lesson: the callback returns the transform's Deferred and the chain waits for it;
    // when the transform fails, its errback falls back to the poem as it came.
    if (xform !== undefined) {
      d.addCallback((poem) =>
        transformPoem(xform[0], xform[1], name, poem).addErrback((reason: Failure) => {
          process.stderr.write(`Transform ${name} failed: ${reason.getErrorMessage()}\n`);
          return poem;
        }),
      );
    }
    return d.addCallbacks(
      (poem) => {
        process.stdout.write(poem.endsWith('\n') ? poem : `${poem}\n`);
      },
      (reason: Failure) => {
        failed++;
        process.stderr.write(`Poem failed: ${reason.getErrorMessage()}\n`);
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
