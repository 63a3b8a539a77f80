// Chapter 16: what twistd does for an application, shared by lib/cli/twistd.ts and
// lib/cli/fastpoetry.ts (tested in test/cli/twistd.test.ts and test/cli/daemon.test.ts): claim the
// pidfile, open the log, start the service tree, stop it on SIGTERM/SIGINT, clean up, exit.
import { constants } from 'node:os';
import * as path from 'node:path';
import { TCPServer } from '../../application/internet';
import type { IService } from '../../application/interfaces';
import { addObserver, msg } from '../../log/index';
import { maybeDeferred } from '../../defer/maybe-deferred';
import { DaemonError, FileLog, Pidfile } from '../../poetry/daemon';
import { reactor } from '../../reactor/default';
import { CannotListenError } from '../../reactor/errors';
import { Port } from '../../reactor/port';
import { SocketError } from '../../sockets/errors';
import { runServer } from './program';

/** How to run an application. */
export interface RunApplicationOptions {
  /** twistd's `--pidfile`: none unless given. */
  pidfile?: string;
  /** twistd's `--logfile`: a file to append to, `-` for stdout; no log unless given. */
  logfile?: string;
  /** What the port line names: `Serving LABEL on port P.` on stdout, once listening. */
  label: string;
}

/** Every TCPServer in a service tree, depth first. */
export function tcpServers(service: IService): TCPServer[] {
  const found: TCPServer[] = service instanceof TCPServer ? [service] : [];
  const children = (service as Partial<Iterable<IService>>)[Symbol.iterator];
  if (typeof children === 'function') for (const child of service as unknown as Iterable<IService>) found.push(...tcpServers(child));
  return found;
}

function fail(message: string): void {
  process.stderr.write(`${path.basename(process.argv[1] ?? 'program')}: ${message}\n`);
  process.exitCode = 1;
}

/**
 * Runs `application` in the foreground until SIGTERM or SIGINT, as `twistd --nodaemon` does.
 * The pidfile comes first, so that a second copy stops before it touches the first one's log.
 * On the first signal the tree is stopped (its `stopService` Deferred says when its ports are
 * closed and its work is done), then the reactor; a second signal exits at once. The pidfile is
 * removed on every way out but SIGKILL.
 * Bad pidfile, log or start-up: one line on stderr, exit status 1.
 * @throws CannotListenError or SocketError (as a rejection) when a port cannot listen, for `runMain`.
 */
export async function runApplication(application: IService, options: RunApplicationOptions): Promise<void> {
  let pidfile: Pidfile | undefined;
  let log: FileLog | undefined;
  try {
    if (options.pidfile !== undefined) pidfile = Pidfile.claim(options.pidfile);
    if (options.logfile !== undefined) log = new FileLog(options.logfile);
  } catch (error) {
    pidfile?.remove();
    if (!(error instanceof DaemonError)) throw error;
    return fail(error.message);
  }
  // No log file, no observer: the services then build no log lines at all.
  const stopLogging = log === undefined ? undefined : addObserver((line) => log?.msg(line));
  const cleanUp = (): void => {
    stopLogging?.();
    pidfile?.remove();
    log?.close();
  };
  if (pidfile?.replaced !== undefined) msg(`Removed stale pidfile ${pidfile.path} of process ${pidfile.replaced}`);

  // Twisted's order: the privileged step (ports are bound there), then the start.
  let ports: Port[];
  try {
    application.privilegedStartService();
    application.startService();
    ports = tcpServers(application)
      .map((server) => server.getPort())
      .filter((port): port is Port => port instanceof Port);
    await Promise.all(ports.map((port) => port.whenListening()));
  } catch (error) {
    // Close whatever did start (the other ports), then report.
    await maybeDeferred(() => application.stopService()).addErrback(() => undefined);
    cleanUp();
    if (error instanceof CannotListenError || error instanceof SocketError) throw error;
    return fail(`cannot start ${options.label}: ${(error as Error).message}`);
  }

  // Before the port line: whoever reads it may signal at once.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      msg(`Received ${signal} again: exiting now`);
      cleanUp();
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    stopping = true;
    msg(`Received ${signal}, shutting down`);
    maybeDeferred(() => application.stopService()).addBoth(() => {
      if (reactor.running) reactor.stop();
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  for (const port of ports) {
    console.log(`Serving ${options.label} on port ${port.getHost().port}.`);
    msg(`Serving ${options.label} on port ${port.getHost().port}, process ${process.pid}`);
  }
  try {
    await runServer(...ports);
    msg('Server stopped');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanUp();
  }
}
