// Runs programs as child processes: the CLIs in lib/cli as a user would (`node --import tsx
// lib/cli/NAME.ts`, so the child's pid is the program's own) and any other command (Twisted's
// Python). The one place that spawns them, waits for a server's port line, collects what they print
// and stops them; `stopAll` in afterEach/afterAll kills whatever a test left running.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli';
import { quoteOutput } from './quote-output';

/** How a program ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What a finished program did. */
export interface Finished extends Exit {
  stdout: string;
  stderr: string;
}

/** A server program that printed `... on port P.` and runs until stopped. */
export interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything it has printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when it has exited and all of its output has been read. */
  readonly exited: Promise<Exit>;
  /** Resolves once stdout matches `pattern`; rejects when it exits first or after `seconds`. */
  waitFor(pattern: RegExp, seconds?: number): Promise<void>;
  /** Sends `signal` (SIGTERM), then SIGKILL if it is still running after `seconds`; resolves with how it ended. */
  stop(signal?: NodeJS.Signals, seconds?: number): Promise<Exit>;
}

export interface SpawnOptions {
  /** Seconds to wait for the port line (startServer) or for the end (run): 20. */
  seconds?: number;
  /** What `runProgram` sends when the seconds are up: SIGKILL. */
  killSignal?: NodeJS.Signals;
  /** Run under `ulimit -n` this many descriptors (through `sh`, which then execs the program). */
  maxFiles?: number;
  /** What `runProgram` writes to the program's stdin (then closes it); without it stdin is closed from the start. */
  input?: string;
  /** Environment variables to add to this process's. */
  env?: Record<string, string>;
}

const PORT_LINE = / on port (\d+)\.\n/;
// Servers still running: `runProgram`'s end by themselves (or by their timeout), and are not
// killed by `stopAll` (an it.concurrent test's afterEach would cut another's run short).
const running = new Set<ChildProcess>();

/** The command line of `lib/cli/CLI.ts ARGS`. */
export function cliCommand(cli: string, args: readonly string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.join('lib', 'cli', `${cli}.ts`), ...args]];
}

function launch(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const { maxFiles, env, input } = options;
  const [file, argv] =
    maxFiles === undefined ? [command, [...args]] : ['/bin/sh', ['-c', `ulimit -n ${maxFiles} && exec "$0" "$@"`, command, ...args]];
  const child = spawn(file, argv, {
    cwd: ROOT,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: env === undefined ? undefined : { ...process.env, ...env },
  });
  child.stdin?.on('error', () => undefined); // a program that exits without reading: its exit code tells
  child.stdin?.end(input);
  return child;
}

const gone = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Runs `command ARGS` to its end (sent `killSignal` after `seconds`). */
export function runProgram(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Finished> {
  const child = launch(command, args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill(options.killSignal ?? 'SIGKILL'), (options.seconds ?? 20) * 1000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** Runs `lib/cli/CLI.ts ARGS` to its end (killed after `seconds`, 20). */
export function runCli(cli: string, args: readonly string[], seconds = 20): Promise<Finished> {
  return runProgram(...cliCommand(cli, args), { seconds });
}

/**
 * Starts `command ARGS` and resolves once it prints `... on port P.`.
 * @throws Error (as a rejection) when it exits first or prints no port line within `seconds`.
 */
export async function startProgram(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Server> {
  const name = path.basename(args.find((arg) => arg.endsWith('.ts')) ?? command);
  const child = launch(command, args, options);
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  let err = '';
  let ended: Exit | undefined;
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    // 'close', not 'exit': by then all of its output has been read.
    child.on('close', (code, signal) => {
      ended = { code, signal };
      for (const listener of listeners) listener();
      resolve(ended);
    }),
  );
  const waitFor = (pattern: RegExp, seconds = 10): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle = (error?: Error): void => {
        listeners.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (pattern.test(out)) settle();
        else if (ended) settle(new Error(`${name} exited (${ended.code ?? ended.signal}) before printing ${pattern}: ${quoteOutput(err)}`));
      };
      const timer = setTimeout(() => settle(new Error(`${name}: no ${pattern} within ${seconds} s; stdout: ${quoteOutput(out)}; stderr: ${quoteOutput(err)}`)), seconds * 1000);
      listeners.add(check);
      check();
    });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', seconds = 10): Promise<Exit> => {
    if (!gone(child)) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };
  try {
    await waitFor(PORT_LINE, options.seconds ?? 20);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, port: Number(PORT_LINE.exec(out)![1]), stdout: () => out, stderr: () => err, exited, waitFor, stop };
}

/** Starts the server `lib/cli/CLI.ts ARGS` (see startProgram). */
export function startServer(cli: string, args: readonly string[], options: SpawnOptions = {}): Promise<Server> {
  return startProgram(...cliCommand(cli, args), options);
}

/** Kills (SIGKILL) every server still running and waits for them: use in afterEach or afterAll. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (gone(child)) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** What process `pid`'s open descriptors point at (`socket:[123]`, `pipe:[45]`, a path), sorted; Linux's /proc. */
export function openFiles(pid: number): string[] {
  const dir = `/proc/${pid}/fd`;
  return readdirSync(dir)
    .map((fd) => {
      try {
        return readlinkSync(`${dir}/${fd}`);
      } catch {
        return 'closed meanwhile';
      }
    })
    .sort();
}

/** Process `pid`'s resident memory in MB (VmRSS in /proc/PID/status). */
export function residentMB(pid: number): number {
  const kB = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kB) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kB[1]) / 1024;
}
