// Chapter 16: what turns the fast poetry server into a long-running service: a pidfile, a log
// file, a line per client, and a graceful stop (tested in test/poetry/daemon.test.ts and
// test/cli/daemon.test.ts). lib/cli/shared/run-application.ts (twistd's runner) puts them together for a service tree.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { Deferred } from '../defer/deferred';
import { succeed } from '../defer/maybe-deferred';
import type { Failure } from '../defer/failure';
import type { IListeningPort, IReactorCore, IReactorTime, ITransport } from '../reactor/interfaces';
import { reactor } from '../reactor/default';
import { FastPoetryFactory, FastPoetryProtocol } from './fast-server';
import { formatAddress } from '../sockets/address';

/** A service cannot start: its pidfile or log file cannot be read or written. */
export class DaemonError extends Error {
  override name = 'DaemonError';
}

/** The pidfile names a process that is still running: most likely another copy of the service. */
export class AlreadyRunningError extends DaemonError {
  override name = 'AlreadyRunningError';

  /**
   * @param pidfile - the pidfile's path.
   * @param pid - the live process it names.
   */
  constructor(
    readonly pidfile: string,
    readonly pid: number,
  ) {
    super(`another server is running, PID ${pid} (from pidfile ${pidfile})`);
  }
}

/**
 * Whether a process with this id exists. Signal 0 is sent to nobody: the kernel only checks.
 * @returns true when it exists, even if it belongs to another user (EPERM).
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A pidfile, as twistd's `--pidfile`: a file holding the service's process id, so that scripts
 * can find it (`kill $(cat server.pid)`) and a second copy refuses to start.
 */
export class Pidfile {
  /**
   * @param path - the file.
   * @param pid - the process id written in it.
   * @param replaced - the id of the dead process whose stale pidfile this one replaced, if any.
   */
  private constructor(
    readonly path: string,
    readonly pid: number,
    readonly replaced: number | undefined,
  ) {}

  /**
   * Writes `pid` to `path` (as `PID\n`), unless the file already names a live process. A pidfile
   * left behind by a process that died without removing it is stale and is replaced.
   * @returns the Pidfile; `remove()` it when the service stops.
   * @throws AlreadyRunningError when the file names a live process; DaemonError when it holds no
   *   process id or cannot be read or written.
   */
  static claim(path: string, pid: number = process.pid): Pidfile {
    let replaced: number | undefined;
    // Twice at most: once to find a stale file, once more after removing it.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // 'wx' fails if the file exists: of two copies starting at once, only one creates it.
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, `${pid}\n`);
        } finally {
          closeSync(fd);
        }
        return new Pidfile(path, pid, replaced);
      } catch (error) {
        const { code } = error as NodeJS.ErrnoException;
        if (code !== 'EEXIST') throw new DaemonError(`cannot write pidfile ${path} (${code})`);
      }
      const other = readPid(path);
      if (other === undefined) continue; // removed meanwhile: try again
      if (isRunning(other)) throw new AlreadyRunningError(path, other);
      replaced = other;
      removeFile(path);
    }
    throw new DaemonError(`cannot claim pidfile ${path}: another process keeps writing it`);
  }

  /** Removes the file, if it still holds this pid (a newer copy of the service may own it now). */
  remove(): void {
    if (readPid(this.path) === this.pid) removeFile(this.path);
  }
}

// The pid in a pidfile; undefined when there is no file. @throws DaemonError when not a pid.
function readPid(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return undefined;
    throw new DaemonError(`cannot read pidfile ${path} (${code})`);
  }
  if (!/^\s*[1-9]\d*\s*$/.test(text)) throw new DaemonError(`pidfile ${path} contains no process id: \`${text.trim().slice(0, 40)}\``);
  return Number(text);
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Where a FileLog takes its time stamps from. */
export interface FileLogOptions {
  /** The wall-clock time of a line (default: now). A log needs dates, not a reactor's seconds. */
  now?: () => Date;
}

/**
 * A log file, as twistd's `--logfile`: each line is appended with its date and time
 * (`2024-05-01T09:30:12.345Z Sending 623 bytes...`). It is written at once, line by line, so a
 * reader (`tail -f`) sees each line as it happens and nothing is lost if the process is killed.
 */
export class FileLog {
  readonly #now: () => Date;
  #fd: number | undefined;

  /**
   * Opens `path` for appending (creating it); earlier lines are kept. `-` is standard output.
   * @throws DaemonError when it cannot be opened.
   */
  constructor(
    readonly path: string,
    options: FileLogOptions = {},
  ) {
    this.#now = options.now ?? (() => new Date());
    // twistd's `--logfile -`: standard output, shared with the program's own lines.
    if (path === '-') {
      this.#fd = 1;
      return;
    }
    try {
      this.#fd = openSync(path, 'a');
    } catch (error) {
      throw new DaemonError(`cannot open log file ${path} (${(error as NodeJS.ErrnoException).code})`);
    }
  }

  /** Appends `line` with a time stamp; does nothing once closed. As Twisted's `log.msg`. */
  msg(line: string): void {
    if (this.#fd === undefined) return;
    writeSync(this.#fd, `${this.#now().toISOString()} ${line}\n`);
  }

  /** Closes the file (once); standard output stays open. */
  close(): void {
    if (this.#fd === undefined) return;
    if (this.#fd !== 1) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/**
 * Keeps a server's open connections, so that it can stop gracefully: stop accepting, wait for
 * the connections under way to finish, and abort those that do not finish in time.
 */
export class OpenConnections {
  readonly #open = new Set<ITransport>();
  #waiting: Deferred<void>[] = []; // whenIdle() Deferreds, fired when the count reaches 0

  /** How many are open now. */
  get count(): number {
    return this.#open.size;
  }

  /** A connection was made (call it from `connectionMade`). */
  opened(transport: ITransport): void {
    this.#open.add(transport);
  }

  /** A connection was lost (call it from `connectionLost`). */
  closed(transport: ITransport): void {
    this.#open.delete(transport);
    // Nobody waiting (a server's every connection but at a stop): nothing to fire, no copy made.
    if (this.#open.size > 0 || this.#waiting.length === 0) return;
    for (const deferred of this.#waiting.splice(0)) deferred.callback(undefined);
  }

  /** Aborts every open connection (each is `closed` when its `connectionLost` comes). */
  abortAll(): void {
    for (const transport of [...this.#open]) transport.abortConnection();
  }

  /**
   * @returns a Deferred that fires when no connection is open: at once if none is. Cancelling it
   *   just stops the waiting.
   */
  whenIdle(): Deferred<void> {
    if (this.#open.size === 0) return succeed(undefined);
    const deferred: Deferred<void> = new Deferred<void>(() => {
      this.#waiting = this.#waiting.filter((d) => d !== deferred);
    });
    this.#waiting.push(deferred);
    return deferred;
  }
}

/** The grace period of `stopGracefully`, in seconds, unless told otherwise. */
export const DEFAULT_GRACE_SECONDS = 10;

/**
 * Stops a server gracefully: stop listening (new clients are refused), let the connections under
 * way finish, then stop the reactor. Connections still open after `graceSeconds` (a client that
 * stalled or never reads) are aborted, and the reactor stops once they are gone, so a stalled
 * client cannot keep the service from stopping. (A service tree does the same in two steps:
 * TCPServer's stopService, then PoetryService's, which calls `drain`.)
 * @param reactor - the reactor to stop; also schedules the grace period.
 * @param graceSeconds - how long the connections under way may take (default 10).
 * @returns a Deferred that fires with the number of connections aborted (0 when all finished),
 *   once `reactor.stop()` has been called.
 */
export function stopGracefully(
  port: IListeningPort,
  connections: OpenConnections,
  reactor: IReactorCore & IReactorTime,
  graceSeconds = DEFAULT_GRACE_SECONDS,
): Deferred<number> {
  return port
    .stopListening()
    .addCallback(() => drain(connections, graceSeconds, reactor))
    .addCallback((aborted) => {
      if (reactor.running) reactor.stop();
      return aborted;
    });
}

/**
 * Lets the connections under way finish, as a service's `stopService` does (PoetryService in
 * fast-service.ts): those still open after `graceSeconds` are aborted.
 * @param clock - times the grace period (default: the global reactor).
 * @returns a Deferred that fires, once no connection is open, with how many were aborted.
 */
export function drain(connections: OpenConnections, graceSeconds = DEFAULT_GRACE_SECONDS, clock: IReactorTime = reactor): Deferred<number> {
  let aborted = 0;
  return connections
    .whenIdle()
    .addTimeout(graceSeconds, clock)
    .addErrback(() => {
      aborted = connections.count;
      connections.abortAll();
      return connections.whenIdle();
    })
    .addCallback(() => aborted);
}

/**
 * The fast poetry server 2.0's protocol: as 1.0 (fast-server.ts), plus a log line for each client
 * (`Sending 623 bytes of poetry to 127.0.0.1:40012`, as the original's Part 16 server logs) and a
 * count of the connections under way.
 */
export class LoggingFastPoetryProtocol extends FastPoetryProtocol {
  declare factory: LoggingFastPoetryFactory;

  override connectionMade(): void {
    this.factory.connections.opened(this.transport);
    const log = this.factory.log;
    // No log, no line: asking the peer's address costs a system call per client.
    if (log !== undefined) {
      const peer = this.transport.getPeer();
      log(`Sending ${this.factory.poem.length} bytes of poetry to ${formatAddress([peer.host, peer.port])}`);
    }
    super.connectionMade();
  }

  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.factory.connections.closed(this.transport);
  }
}

/** Makes a LoggingFastPoetryProtocol per client; they share the poem, the log and the count. */
export class LoggingFastPoetryFactory extends FastPoetryFactory {
  override protocol = LoggingFastPoetryProtocol;
  /** The connections under way, for `stopGracefully`. */
  readonly connections = new OpenConnections();

  /**
   * @param poem - the poem's bytes.
   * @param log - where a line per client goes (a FileLog's `msg`); none when undefined.
   */
  constructor(
    poem: Uint8Array,
    readonly log?: (line: string) => void,
  ) {
    super(poem);
  }
}
