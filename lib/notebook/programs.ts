// Starts the course's CLIs as child processes from notebook cells, and stops them again: a
// re-run cell first stops what its previous run started, and nothing outlives the kernel
// (tested in test/notebook/programs.test.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './paths';

/** A program started by `startPrograms`. */
export interface RunningProgram {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** The last lines it printed (at most 200). */
  readonly output: string[];
}

/** What to start: a file in lib/cli and its arguments. */
export interface ProgramSpec {
  cli: string;
  args: string[];
  /** Environment variables to add to the kernel's for this program (a twistd configuration module's settings). */
  env?: Record<string, string>;
}

// Kept on globalThis so that a re-imported module still finds what an earlier run started.
const KEY = Symbol.for('twisted-intro.programs');
const registry = ((globalThis as { [KEY]?: Map<string, RunningProgram[]> })[KEY] ??= new Map<string, RunningProgram[]>());

function killAll(): void {
  for (const programs of registry.values()) for (const p of programs) p.process.kill('SIGKILL');
}
const HOOKED = Symbol.for('twisted-intro.programs.exit-hook');
if (!(globalThis as { [HOOKED]?: boolean })[HOOKED]) {
  (globalThis as { [HOOKED]?: boolean })[HOOKED] = true;
  process.on('exit', killAll);
}

const EXIT_WITH_PARENT = path.join(__dirname, 'exit-with-parent.js');

function start(spec: ProgramSpec, timeoutSeconds: number): Promise<RunningProgram> {
  const args = ['--require', EXIT_WITH_PARENT, '--import', 'tsx', path.join('lib', 'cli', `${spec.cli}.ts`), ...spec.args];
  // A process group of its own (detached): Kernel > Interrupt signals the kernel's whole group,
  // and must stop the cell, not the servers the chapter's later cells still need.
  const env = spec.env === undefined ? undefined : { ...process.env, ...spec.env };
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: env });
  const output: string[] = [];
  let errors = '';
  let pending = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no "port P." line within ${timeoutSeconds} s`), timeoutSeconds * 1000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${spec.cli} ${spec.args.join(' ')}: ${why}`));
    };
    // Always drain stdout: a program blocked on a full pipe would stall (the slow server prints a lot).
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (output.length > 200) output.shift();
        const match = / port (\d+)\.$/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve({ name: `${spec.cli} ${spec.args.join(' ')}`, port: Number(match[1]), process: child, output });
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => fail(errors.trim() || `exited with ${code}`));
  });
}

/** Stops the programs started under `group`, waiting until they have exited. */
export async function stopPrograms(group: string): Promise<void> {
  const programs = registry.get(group) ?? [];
  registry.delete(group);
  await Promise.all(
    programs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.process.exitCode !== null || p.process.signalCode !== null) return resolve();
          p.process.once('exit', () => resolve());
          p.process.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * Starts programs from lib/cli (`npx tsx lib/cli/NAME.ts ARGS`), each printing `... port P.`
 * when ready, and resolves with them once all are. Programs started earlier under the same
 * `group` are stopped first, so a cell can be re-run.
 * @throws Error when a program exits or prints no port line in time (the others are stopped).
 */
export async function startPrograms(group: string, specs: readonly ProgramSpec[], timeoutSeconds = 20): Promise<RunningProgram[]> {
  await stopPrograms(group);
  const started = await Promise.allSettled(specs.map((spec) => start(spec, timeoutSeconds)));
  const programs = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  registry.set(group, programs);
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stopPrograms(group);
    throw failure.reason;
  }
  return programs;
}

/** Thrown when a chapter's programs are gone: its message is all a learner needs, so no stack. */
export class ProgramsStoppedError extends Error {
  override name = 'ProgramsStoppedError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * The programs started under `group`, all still running: what a client cell calls before it
 * connects, so that after the servers were stopped it says so in one line, not a stack trace.
 * @throws ProgramsStoppedError when the group was never started, was stopped, or one has exited.
 */
export function runningPrograms(group: string, startingCell = 'the cell that starts them'): RunningProgram[] {
  const programs = registry.get(group);
  const gone = programs?.find((p) => p.process.exitCode !== null || p.process.signalCode !== null);
  if (programs === undefined || programs.length === 0 || gone !== undefined) {
    const what = gone === undefined ? 'are not running' : `stopped (${gone.name} exited)`;
    throw new ProgramsStoppedError(`the servers of '${group}' ${what}: run ${startingCell} again`);
  }
  return programs;
}
