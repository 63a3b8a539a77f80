// Chapter 02: the asynchronous poetry client, a select loop (tested in test/cli/clients.test.ts
// and test/faults/clients.test.ts).
//   npx tsx lib/cli/get-poetry-async.ts [--max-bytes N] [--timeout SECONDS] [HOST:]PORT ...
import { asyncClient } from '../select/index';
import { addressArguments, LIMIT_OPTIONS, limitOptions, parseOptions, runMain } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, LIMIT_OPTIONS);
  const { errors } = await asyncClient(addressArguments(positionals), limitOptions(values));
  if (errors.some((error) => error !== undefined)) process.exitCode = 1;
});
