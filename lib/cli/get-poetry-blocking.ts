// Chapter 02: the blocking poetry client (tested in test/cli/get-poetry-blocking.test.ts).
//   npx tsx lib/cli/get-poetry-blocking.ts [HOST:]PORT ...
import { blockingClient } from '../blocking/index';
import { addressArguments, parseOptions, runMain } from './shared/program';

runMain((argv) => {
  const { positionals } = parseOptions(argv, {});
  blockingClient(addressArguments(positionals));
});
