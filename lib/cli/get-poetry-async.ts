// Chapter 02: the asynchronous poetry client, a select loop (tested in test/cli/get-poetry-async.test.ts).
//   npx tsx lib/cli/get-poetry-async.ts [HOST:]PORT ...
import { asyncClient } from '../select/index';
import { addressArguments, parseOptions, runMain } from './shared/program';

runMain(async (argv) => {
  const { positionals } = parseOptions(argv, {});
  await asyncClient(addressArguments(positionals));
});
