// Chapter 12: the poetry transform server 1.0 (tested in test/cli/transformedpoetry.test.ts).
//   npx tsx lib/cli/transformedpoetry.ts [--port P] [--iface HOST]
import { TransformFactory, TransformService } from '../poetry/transform/server';
import { reactor } from '../reactor/default';
import { parseOptions, portOption, runMain, runServer, stopOnSignals, UsageError } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { port: { type: 'string' }, iface: { type: 'string' } });
  if (positionals.length !== 0) throw new UsageError(`takes no arguments, got \`${positionals[0]}\` (options: --port P, --iface HOST)`);
  const iface = typeof values.iface === 'string' ? values.iface : '127.0.0.1';
  const factory = new TransformFactory(new TransformService(), { log: (line) => console.error(line) });
  const listening = reactor.listenTCP(portOption(values.port), factory, { interface: iface });
  await listening.whenListening();
  // Before the port line: whoever reads it may signal at once. The handler runs in a later turn,
  // when run() below has started (it sets `running` synchronously).
  stopOnSignals();
  console.log(`Serving transforms on port ${listening.getHost().port}.`);
  await runServer(listening);
});
