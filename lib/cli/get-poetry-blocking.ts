// Chapter 02: the blocking poetry client (tested in test/cli/clients.test.ts and test/faults/clients.test.ts).
//   npx tsx lib/cli/get-poetry-blocking.ts [--max-bytes N] [--timeout SECONDS] [HOST:]PORT ...
import { blockingClient } from '../blocking/index';
import { addressArguments, LIMIT_OPTIONS, limitOptions, parseOptions, runMain } from './shared/program';

runMain((argv) => {
  const { values, positionals } = parseOptions(argv, LIMIT_OPTIONS);
  const { errors } = blockingClient(addressArguments(positionals), limitOptions(values));
  if (errors.some((error) => error !== undefined)) process.exitCode = 1;
});
