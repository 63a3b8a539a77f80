// Chapters 14 and 19: the poetry proxy 3.0 as a program (tested in test/cli/poetry-proxy.test.ts).
//   npx tsx lib/cli/poetry-proxy.ts [--port P] [--iface HOST] [HOST:]PORT
// Serves the poem of the poetry server at [HOST:]PORT, fetched once and cached; prints the
// service's lines (fetching, waiting, cached, cancelling) as they happen.
import { PoetryProxyFactory, ProxyService } from '../poetry/proxy/proxy-3';
import { reactor } from '../reactor/default';
import { formatAddress } from '../sockets/index';
import { addressArguments, parseOptions, portOption, runMain, runServer, stopOnSignals, UsageError } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { port: { type: 'string' }, iface: { type: 'string' } });
  if (positionals.length > 1) throw new UsageError('give exactly one poetry server address, [HOST:]PORT');
  const [upstream] = addressArguments(positionals);
  const iface = typeof values.iface === 'string' ? values.iface : '127.0.0.1';
  const service = new ProxyService(upstream[0], upstream[1]);
  const listening = reactor.listenTCP(portOption(values.port), new PoetryProxyFactory(service), { interface: iface });
  await listening.whenListening();
  stopOnSignals(); // before the port line: whoever reads it may signal at once
  console.log(`Proxying ${formatAddress(upstream)} on port ${listening.getHost().port}.`);
  await runServer(listening);
});
