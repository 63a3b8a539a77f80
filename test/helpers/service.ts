// A server program as a long-running service under test: started as a child process (as
// test/helpers/cli.ts does), with its exit status and its output observable, and killed after the
// test by `killServices` whatever happened.
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './cli';

/** How a program ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A server program that printed `... on port P.`. */
export interface Service {
  readonly child: ChildProcess;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the program has exited. */
  readonly exited: Promise<Exit>;
  /** Resolves once stdout matches `pattern`; rejects after `seconds`. */
  waitFor(pattern: RegExp, seconds?: number): Promise<void>;
}

const started = new Set<ChildProcess>();

/**
 * Starts `lib/cli/CLI.ts ARGS` and resolves once it prints `... on port P.`.
 * @param env - environment variables to add to this process's.
 * @throws Error (as a rejection) when it exits first or prints no port within `seconds`.
 */
export async function startService(cli: string, args: readonly string[], seconds = 20, env: Record<string, string> = {}): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('lib', 'cli', `${cli}.ts`), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  started.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let gone: Exit | undefined;
  const exited = new Promise<Exit>((resolve) =>
    // 'close', not 'exit': by then all of its output has been read.
    child.on('close', (code, signal) => {
      started.delete(child);
      gone = { code, signal };
      for (const listener of listeners) listener();
      resolve(gone);
    }),
  );
  const waitFor = (pattern: RegExp, limit = 10): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle = (error?: Error): void => {
        listeners.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (pattern.test(out)) settle();
        else if (gone) settle(new Error(`${cli} exited (${gone.code ?? gone.signal}) before printing ${pattern}: ${err}`));
      };
      const timer = setTimeout(() => settle(new Error(`${cli}: no ${pattern} within ${limit} s; stdout: ${out}; stderr: ${err}`)), limit * 1000);
      listeners.add(check);
      check();
    });
  await waitFor(/ on port (\d+)\.\n/, seconds);
  return { child, port: Number(/ on port (\d+)\.\n/.exec(out)![1]), stdout: () => out, stderr: () => err, exited, waitFor };
}

/** Kills (SIGKILL) every service still running and waits for them: use in afterEach. */
export async function killServices(): Promise<void> {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
