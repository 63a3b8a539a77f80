// Chapter 16: the plugins lib/cli/twistd.ts can run by name, as Twisted finds IServiceMaker
// plugins in twisted/plugins/ (tested in test/cli/twistd.test.ts). One so far: fastpoetry.
import type { IServiceMaker } from '../../application/interfaces';
import { Application } from '../../application/service';
import { DEFAULT_GRACE_SECONDS } from '../../poetry/daemon';
import { makeFastPoetryService } from '../../poetry/fast-service';
import { ifaceOption, portOption, readPoem, secondsOption, UsageError } from './program';

/**
 * The fast poetry server 2.0 as a plugin, with the original plugin's options (`--port`, default
 * 10000; `--iface`; `--poem`) and `--grace`, the seconds the poems under way get on a stop.
 */
export const fastpoetryPlugin: IServiceMaker = {
  tapname: 'fastpoetry',
  description: 'A fast poetry service.',
  options: {
    port: { default: '10000', description: 'The port number to listen on.' },
    poem: { description: 'The file containing the poem.' },
    iface: { default: '127.0.0.1', description: 'The interface to listen on.' },
    grace: { default: String(DEFAULT_GRACE_SECONDS), description: 'Seconds the poems under way get on a stop, before they are aborted.' },
  },
  makeService(options) {
    if (options.poem === undefined) throw new UsageError('--poem is required: the file containing the poem');
    readPoem(options.poem); // a missing file is a usage error now, not a failed start later
    return makeFastPoetryService({
      port: portOption(options.port),
      iface: ifaceOption(options.iface),
      poem: options.poem,
      graceSeconds: secondsOption('grace', options.grace, DEFAULT_GRACE_SECONDS, 0),
    });
  },
};

/** The plugins, by tapname. */
export const plugins: ReadonlyMap<string, IServiceMaker> = new Map([[fastpoetryPlugin.tapname, fastpoetryPlugin]]);

/**
 * What twistd does with a plugin: an Application named after it, holding the service its
 * `makeService` builds from `options` (missing ones take the plugin's defaults).
 * @throws UsageError when an option is bad.
 */
export function applicationFromPlugin(plugin: IServiceMaker, options: Readonly<Record<string, string | undefined>>): Application {
  const withDefaults = Object.fromEntries(Object.entries(plugin.options).map(([name, o]) => [name, options[name] ?? o.default]));
  const application = new Application(plugin.tapname);
  plugin.makeService(withDefaults).setServiceParent(application);
  return application;
}
