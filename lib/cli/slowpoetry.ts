// Chapters 02 and 04: the slow poetry server, blocking edition or, with --reactor, the reactor
// edition (tested in test/cli/slowpoetry.test.ts).
//   npx tsx lib/cli/slowpoetry.ts [--reactor [--quiet]] [--port P] [--iface HOST] [--delay S] [--num-bytes N] POEM
// --quiet (ours, not the original's) drops the lines per client and chunk, for load tests.
import { serve } from '../blocking/index';
import { SlowPoetryFactory } from '../poetry/slow-server';
import { reactor } from '../reactor/default';
import { BlockingServerSocket } from '../sockets/index';
import { ifaceOption, integerOption, parseOptions, portOption, readPoem, runMain, runServer, secondsOption, stopOnSignals, UsageError } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, {
    port: { type: 'string' },
    iface: { type: 'string' },
    delay: { type: 'string' },
    'num-bytes': { type: 'string' },
    reactor: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one poetry file');
  const [file] = positionals;
  const poem = readPoem(file);
  const port = portOption(values.port);
  const delay = secondsOption('delay', values.delay, 0.1, 0);
  const numBytes = integerOption('num-bytes', values['num-bytes'], 10, 1);
  const iface = ifaceOption(values.iface);

  if (values.reactor) {
    // Any number of clients at once: each chunk's wait is a timed call, not a sleep.
    const listening = reactor.listenTCP(port, new SlowPoetryFactory(poem, { numBytes, delay, log: values.quiet ? () => {} : undefined }), { interface: iface });
    await listening.whenListening();
    // Before the port line: whoever reads it may signal at once.
    stopOnSignals();
    console.log(`Serving ${file} on port ${listening.getHost().port}.`);
    await runServer(listening);
  } else {
    if (values.quiet) throw new UsageError('--quiet needs --reactor');
    // One client at a time, every call blocking, as in the original.
    const listenSocket = BlockingServerSocket.listen(iface, port, 5);
    console.log(`Serving ${file} on port ${listenSocket.getsockname()[1]}.`);
    serve(listenSocket, poem, { numBytes, delay });
  }
});
