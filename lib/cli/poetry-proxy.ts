// Chapters 14 and 19: the poetry proxy 3.0 as a program (tested in test/cli/poetry-proxy.test.ts).
//   npx tsx lib/cli/poetry-proxy.ts [--port P] [--iface HOST] [--idle-timeout SECONDS] [--max-connections N] [HOST:]PORT
// Serves the poem of the poetry server at [HOST:]PORT, fetched once and cached; prints the
// service's lines (fetching, waiting, cached, cancelling) as they happen, and a failed fetch on
// stderr (its clients' connections are aborted). --idle-timeout (default 30, 0 for none) aborts a
// client that takes nothing of its poem for that long, counted from when the poem is ready;
// --max-connections (default 1000) closes at once a connection beyond that many.
import { PoetryProxyFactory, ProxyService } from '../poetry/proxy/proxy-3';
import { reactor } from '../reactor/default';
import { formatAddress } from '../sockets/index';
import { addressArguments, ifaceOption, parseOptions, POLICY_OPTIONS, portOption, runMain, runServer, stopOnSignals, UsageError, withPolicies } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { port: { type: 'string' }, iface: { type: 'string' }, ...POLICY_OPTIONS });
  if (positionals.length > 1) throw new UsageError('give exactly one poetry server address, [HOST:]PORT');
  const [upstream] = addressArguments(positionals);
  const iface = ifaceOption(values.iface);
  const port = portOption(values.port);
  const service = new ProxyService(upstream[0], upstream[1]);
  // The wait for the upstream server is not the client's idleness: count from the poem's first write.
  const factory = withPolicies(values, new PoetryProxyFactory(service), 'firstWrite');
  const listening = reactor.listenTCP(port, factory, { interface: iface });
  await listening.whenListening();
  stopOnSignals(); // before the port line: whoever reads it may signal at once
  console.log(`Proxying ${formatAddress(upstream)} on port ${listening.getHost().port}.`);
  await runServer(listening);
});
