// Chapter 02: the slow poetry server, blocking edition (tested in test/cli/slowpoetry.test.ts).
//   npx tsx lib/cli/slowpoetry.ts [--port P] [--iface HOST] [--delay S] [--num-bytes N] POEM
import { serve } from '../blocking/index';
import { BlockingServerSocket } from '../sockets/index';
import { numberOption, parseOptions, portOption, readPoem, runMain, UsageError } from './shared/program';

runMain((argv) => {
  const { values, positionals } = parseOptions(argv, {
    port: { type: 'string' },
    iface: { type: 'string' },
    delay: { type: 'string' },
    'num-bytes': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one poetry file');
  const [file] = positionals;
  const poem = readPoem(file);
  const port = portOption(values.port);
  const delay = numberOption('delay', values.delay, 0.1, 0);
  const numBytes = Math.floor(numberOption('num-bytes', values['num-bytes'], 10, 0, true));
  if (numBytes < 1) throw new UsageError(`--num-bytes must be an integer >= 1, got \`${values['num-bytes']}\``);
  const iface = typeof values.iface === 'string' ? values.iface : '127.0.0.1';

  const listenSocket = BlockingServerSocket.listen(iface, port, 5);
  console.log(`Serving ${file} on port ${listenSocket.getsockname()[1]}.`);
  serve(listenSocket, poem, { numBytes, delay });
});
