// Chapter 16: twistd for this course: runs an application from a plugin or a configuration module
// in the foreground, with a pidfile, a log file and a graceful stop (tested in test/cli/twistd.test.ts).
//   npx tsx lib/cli/twistd.ts [--pidfile FILE] [--logfile FILE|-] PLUGIN [PLUGIN OPTIONS]
//   npx tsx lib/cli/twistd.ts [--pidfile FILE] [--logfile FILE|-] -y MODULE.ts   (or --config MODULE.ts)
// e.g. npx tsx lib/cli/twistd.ts fastpoetry --port 10000 --poem poetry/ecstasy.txt
// SIGTERM or SIGINT stops the application (its Deferred fires when its work is done), then the
// program exits 0 and removes its pidfile; a second signal exits at once.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IService } from '../application/interfaces';
import { applicationFromPlugin, plugins } from './shared/plugins';
import { parseOptions, runMain, UsageError } from './shared/program';
import { runApplication } from './shared/run-application';

const TWISTD_OPTIONS = {
  python: { type: 'string', short: 'y' },
  config: { type: 'string' },
  logfile: { type: 'string', short: 'l' },
  pidfile: { type: 'string' },
  nodaemon: { type: 'boolean', short: 'n' },
  help: { type: 'boolean' },
} as const;

const USAGE = `Usage: twistd.ts [--pidfile FILE] [--logfile FILE|-] (PLUGIN [plugin options] | -y MODULE.ts)
Options:
  -y, --python MODULE.ts   run the \`application\` a configuration module exports (also --config)
  -l, --logfile FILE       append the log there, each line with its time; - for stdout
      --pidfile FILE       write the process id there; refuse to start while it names a live process
  -n, --nodaemon           accepted: this twistd always stays in the foreground
Plugins:
${[...plugins.values()].map((p) => `  ${p.tapname.padEnd(24)} ${p.description}`).join('\n')}`;

// twistd's own options end at the first argument that is not one of them: the plugin's name.
function splitAtPlugin(argv: readonly string[]): [own: string[], plugin: string[]] {
  const takesValue = new Set(['-y', '--python', '--config', '-l', '--logfile', '--pidfile']);
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('-')) return [argv.slice(0, i), argv.slice(i)];
    if (takesValue.has(argv[i])) i++;
  }
  return [[...argv], []];
}

// Loads a configuration module's `application`. @throws UsageError when there is none to load.
async function loadApplication(file: string): Promise<{ application: IService; label: string }> {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  let module: { application?: unknown };
  try {
    module = (await import(pathToFileURL(path.resolve(file)).href)) as { application?: unknown };
  } catch (error) {
    throw new UsageError(`${file}: cannot load it: ${(error as Error).message.split('\n')[0]}`);
  }
  const application = module.application as Partial<IService> | undefined;
  if (typeof application?.startService !== 'function' || typeof application.stopService !== 'function') {
    throw new UsageError(`${file} does not export an \`application\` (a service)`);
  }
  return { application: application as IService, label: application.name ?? path.basename(file) };
}

runMain(async (argv) => {
  const [own, rest] = splitAtPlugin(argv);
  const { values } = parseOptions(own, TWISTD_OPTIONS);
  if (values.help) return console.log(USAGE);
  const config = (values.python ?? values.config) as string | undefined;
  let application: IService;
  let label: string;
  if (config !== undefined) {
    if (rest.length > 0) throw new UsageError(`give a plugin or a configuration module, not both (\`${rest[0]}\`)`);
    ({ application, label } = await loadApplication(config));
  } else {
    if (rest.length === 0) throw new UsageError('give a plugin name or -y MODULE.ts (see --help)');
    const plugin = plugins.get(rest[0]);
    if (plugin === undefined) throw new UsageError(`unknown plugin \`${rest[0]}\`; plugins: ${[...plugins.keys()].join(', ')}`);
    const spec = Object.fromEntries(Object.keys(plugin.options).map((name) => [name, { type: 'string' as const }]));
    const parsed = parseOptions(rest.slice(1), { ...spec, help: { type: 'boolean' } });
    if (parsed.values.help) {
      return console.log(Object.entries(plugin.options).map(([name, o]) => `  --${name.padEnd(10)} ${o.description}${o.default === undefined ? '' : ` [default: ${o.default}]`}`).join('\n'));
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument \`${parsed.positionals[0]}\` for plugin ${plugin.tapname}`);
    application = applicationFromPlugin(plugin, parsed.values as Record<string, string | undefined>);
    label = plugin.tapname;
  }
  await runApplication(application, { pidfile: values.pidfile as string | undefined, logfile: values.logfile as string | undefined, label });
});
