// Chapters 11 and 16: the fast poetry server: the whole poem at once; a long-running service with
// --pidfile, --logfile and --grace (tested in test/cli/reactor-programs.test.ts and
// test/cli/daemon.test.ts). It runs twistd's fastpoetry plugin with twistd's runner:
//   npx tsx lib/cli/fastpoetry.ts [--port P] [--iface HOST] [--pidfile FILE] [--logfile FILE] [--grace SECONDS] POEM
// is `npx tsx lib/cli/twistd.ts [--pidfile FILE] [--logfile FILE] fastpoetry --port P --poem POEM ...`
// with port 0 (a free one) by default. SIGTERM or SIGINT stops it gracefully: no new clients,
// the poems under way get --grace seconds (default 10) before they are aborted, the pidfile is
// removed, exit status 0.
import { applicationFromPlugin, fastpoetryPlugin } from './shared/plugins';
import { parseOptions, runMain, UsageError } from './shared/program';
import { runApplication } from './shared/run-application';

runMain(async (argv) => {
  const { values, positionals } = parseOptions(argv, {
    port: { type: 'string' },
    iface: { type: 'string' },
    pidfile: { type: 'string' },
    logfile: { type: 'string' },
    grace: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one poetry file');
  const [poem] = positionals;
  const option = (name: string): string | undefined => values[name] as string | undefined;
  const application = applicationFromPlugin(fastpoetryPlugin, { port: option('port') ?? '0', iface: option('iface'), grace: option('grace'), poem });
  await runApplication(application, { pidfile: option('pidfile'), logfile: option('logfile'), label: poem });
});
