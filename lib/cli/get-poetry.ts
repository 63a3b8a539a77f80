// Chapters 06-08: the reactor poetry client, latest version: every poem at once, each printed
// when complete (tested in test/cli/get-poetry.test.ts).
//   npx tsx lib/cli/get-poetry.ts [HOST:]PORT ...
import { DeferredList } from '../defer/deferred-list';
import type { Failure } from '../defer/failure';
import { getPoetry } from '../poetry/get-poetry';
import { reactor } from '../reactor/default';
import { addressArguments, parseOptions, runMain } from './shared/program';

runMain(async (argv) => {
  const { positionals } = parseOptions(argv, {});
  const addresses = addressArguments(positionals);
  let failed = 0;
  const poems = addresses.map(([host, port]) =>
    getPoetry(host, port).addCallbacks(
      (poem) => {
        process.stdout.write(poem.endsWith('\n') ? poem : `${poem}\n`);
      },
      (reason: Failure) => {
        failed++;
        process.stderr.write(`Poem failed: ${reason.getErrorMessage()}\n`);
      },
    ),
  );
  new DeferredList(poems).addBoth(() => reactor.stop());
  await reactor.run();
  if (failed > 0) process.exitCode = 1;
});
