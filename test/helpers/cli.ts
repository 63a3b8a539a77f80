// Runs the programs in lib/cli as child processes, as a user would with `npx tsx lib/cli/NAME.ts`.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const poem = (name: string): string => path.join(ROOT, 'poetry', `${name}.txt`);

/** The bytes of a poem in poetry/. */
export const poemBytes = (name: string): Buffer => readFileSync(poem(name));

/** An elapsed time as the programs print it (Python's timedelta: `0:00:10.126361`), for RegExps. */
export const ELAPSED = String.raw`\d+:\d\d:\d\d(\.\d{6})?`;

/** Collects what a client prints on its `log` and `logError`. */
export function printed(): { lines: string[]; errors: string[]; log: (line: string) => void; logError: (line: string) => void } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, log: (line) => lines.push(line), logError: (line) => errors.push(line) };
}

// Servers still running; `runCli` programs end by themselves (or by their timeout).
const running = new Set<ChildProcess>();

function launch(cli: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join('lib', 'cli', `${cli}.ts`), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** What a finished program did. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutSeconds`). */
export function runCli(cli: string, args: readonly string[], timeoutSeconds = 20): Promise<Finished> {
  const child = launch(cli, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A server program that printed `... on port P.` and keeps running until stopped. */
export interface Server {
  port: number;
  /** Everything it has printed on stdout so far. */
  stdout(): string;
  stop(): Promise<void>;
}

/** Starts a server program and resolves once it says which port it serves on. */
export function startServer(cli: string, args: readonly string[], timeoutSeconds = 20): Promise<Server> {
  const child = launch(cli, args);
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cli}: no port line within ${timeoutSeconds} s; stderr: ${stderr}`));
    }, timeoutSeconds * 1000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = / on port (\d+)\.\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stdout: () => stdout, stop });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cli} exited with ${code}: ${stderr}`));
    });
  });
}

/** Kills every server `startServer` started and waits for them (use in afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
