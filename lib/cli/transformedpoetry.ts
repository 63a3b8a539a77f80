// Chapter 12: the poetry transform server 1.0 (tested in test/cli/transformedpoetry.test.ts).
//   npx tsx lib/cli/transformedpoetry.ts [--port P] [--iface HOST] [--idle-timeout SECONDS] [--max-connections N]
// --idle-timeout (default 30, 0 for none) aborts a client that sends or takes nothing for that
// long; --max-connections (default 1000) closes at once a connection beyond that many.
import { TransformFactory, TransformService } from '../poetry/transform/server';
import { reactor } from '../reactor/default';
import { ifaceOption, parseOptions, POLICY_OPTIONS, portOption, runMain, runServer, stopOnSignals, UsageError, withPolicies } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { port: { type: 'string' }, iface: { type: 'string' }, ...POLICY_OPTIONS });
  if (positionals.length !== 0) {
    throw new UsageError(`takes no arguments, got \`${positionals[0]}\` (options: --port P, --iface HOST, --idle-timeout SECONDS, --max-connections N)`);
  }
  const iface = ifaceOption(values.iface);
  const port = portOption(values.port);
  const factory = withPolicies(values, new TransformFactory(new TransformService(), { log: (line) => console.error(line) }));
  const listening = reactor.listenTCP(port, factory, { interface: iface });
  await listening.whenListening();
  // Before the port line: whoever reads it may signal at once. The handler runs in a later turn,
  // when run() below has started (it sets `running` synchronously).
  stopOnSignals();
  console.log(`Serving transforms on port ${listening.getHost().port}.`);
  await runServer(listening);
});
