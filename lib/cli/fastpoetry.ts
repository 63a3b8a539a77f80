// Chapters 11 and 16: the fast poetry server: the whole poem at once; a long-running service with
// --pidfile and --logfile (tested in test/cli/reactor-programs.test.ts and test/cli/daemon.test.ts).
//   npx tsx lib/cli/fastpoetry.ts [--port P] [--iface HOST] [--pidfile FILE] [--logfile FILE] [--grace SECONDS] POEM
// SIGTERM or SIGINT stops it gracefully: no new clients, the poems under way are finished, those
// still under way after --grace seconds (default 10) are aborted, the pidfile is removed, exit
// status 0.
import * as path from 'node:path';
import { DaemonError, DEFAULT_GRACE_SECONDS, FileLog, LoggingFastPoetryFactory, Pidfile, stopGracefully } from '../poetry/daemon';
import { reactor } from '../reactor/default';
import { ifaceOption, parseOptions, portOption, readPoem, runMain, runServer, secondsOption, UsageError } from './shared/program';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, {
    port: { type: 'string' },
    iface: { type: 'string' },
    pidfile: { type: 'string' },
    logfile: { type: 'string' },
    grace: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one poetry file');
  const [file] = positionals;
  const poem = readPoem(file);
  const iface = ifaceOption(values.iface);
  const port = portOption(values.port);
  const grace = secondsOption('grace', values.grace, DEFAULT_GRACE_SECONDS, 0);

  // The pidfile first: a second copy must stop before it touches the first one's log.
  let pidfile: Pidfile | undefined;
  let log: FileLog | undefined;
  try {
    if (typeof values.pidfile === 'string') pidfile = Pidfile.claim(values.pidfile);
    if (typeof values.logfile === 'string') log = new FileLog(values.logfile);
  } catch (error) {
    pidfile?.remove();
    if (!(error instanceof DaemonError)) throw error;
    process.stderr.write(`${path.basename(process.argv[1])}: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const cleanUp = (): void => {
    pidfile?.remove();
    log?.close();
  };
  if (pidfile?.replaced !== undefined) log?.msg(`Removed stale pidfile ${pidfile.path} of process ${pidfile.replaced}`);

  const factory = new LoggingFastPoetryFactory(poem, (line) => log?.msg(line));
  const listen = async () => {
    const listening = reactor.listenTCP(port, factory, { interface: iface });
    await listening.whenListening();
    return listening;
  };
  const listening = await listen().catch((error: unknown) => {
    cleanUp();
    throw error;
  });
  // Before the port line: whoever reads it may signal at once. Once: a second signal while the
  // poems under way finish gets Node's default (exit at once).
  const stop = (signal: NodeJS.Signals): void => {
    log?.msg(`Received ${signal}: finishing ${factory.connections.count} poem(s) under way, then stopping`);
    stopGracefully(listening, factory.connections, reactor, grace).addCallback((cut) => {
      if (cut > 0) log?.msg(`Aborted ${cut} connection(s) still open after ${grace} s`);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`Serving ${file} on port ${listening.getHost().port}.`);
  log?.msg(`Serving ${file} on port ${listening.getHost().port}, process ${process.pid}`);
  try {
    await runServer(listening);
    log?.msg('Server stopped');
  } finally {
    cleanUp();
  }
});
