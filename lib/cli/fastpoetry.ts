// Chapter 11: the fast poetry server 1.0: the whole poem at once (tested in test/cli/fastpoetry.test.ts).
//   npx tsx lib/cli/fastpoetry.ts [--port P] [--iface HOST] POEM
import { FastPoetryFactory } from '../poetry/fast-server';
import { reactor } from '../reactor/default';
import { parseOptions, portOption, readPoem, runMain, stopOnSignals, UsageError } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, { port: { type: 'string' }, iface: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give exactly one poetry file');
  const [file] = positionals;
  const poem = readPoem(file);
  const iface = typeof values.iface === 'string' ? values.iface : '127.0.0.1';
  const listening = reactor.listenTCP(portOption(values.port), new FastPoetryFactory(poem), { interface: iface });
  await listening.whenListening();
  console.log(`Serving ${file} on port ${listening.getHost().port}.`);
  stopOnSignals();
  await reactor.run();
});
