// Runs Twisted programs (Python, written inline by the tests) beside ours: the interop tests and
// the benchmarks that compare with Twisted use these.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

const LIMIT_SECONDS = 20;
const children = new Set<ChildProcess>();
let python: string | undefined;

/** The first Python that imports Twisted: $TWISTED_PYTHON, Debian's /usr/bin/python3, or python3. */
export function findTwistedPython(): string | undefined {
  python ??= [process.env.TWISTED_PYTHON, '/usr/bin/python3', 'python3']
    .filter((c): c is string => !!c)
    .find((exe) => spawnSync(exe, ['-c', 'import twisted.protocols.basic'], { stdio: 'ignore', timeout: 10_000 }).status === 0);
  return python;
}

/**
 * The Python to run Twisted with. Tests that need it fail with this message when there is none
 * (they are never skipped: interoperating with Twisted is part of what the project promises).
 * @throws Error when no Python imports Twisted.
 */
export function twistedPython(): string {
  const found = findTwistedPython();
  if (!found) {
    throw new Error(
      'Twisted for Python 3 is missing: these tests run Twisted programs against ours. Install it ' +
        '(npm install does, as root on Debian/Ubuntu: apt-get install python3-twisted; else python3 -m pip install twisted), ' +
        'or point TWISTED_PYTHON at a Python that has it.',
    );
  }
  return found;
}

function spawnPython(script: string, args: readonly string[]): ChildProcess {
  const child = spawn(twistedPython(), ['-u', '-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Runs a Twisted program to its end (killed after 20 s). @throws Error (rejects) when it exits non-zero. */
export function runTwisted(script: string, args: readonly string[]): Promise<string> {
  const child = spawnPython(script, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_SECONDS * 1000);
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`the Twisted program exited with ${code}: ${stderr}`));
    }),
  );
}

/**
 * Starts a Twisted server that prints `... on port P.` and resolves with P and its stdout so far.
 * @throws Error (rejects) when it exits or prints no port within 20 s.
 */
export function startTwisted(script: string, args: readonly string[]): Promise<{ port: number; stdout: string; stop: () => Promise<void> }> {
  const child = spawnPython(script, args);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the Twisted server printed no port within ${LIMIT_SECONDS} s: ${stderr}`));
    }, LIMIT_SECONDS * 1000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = / on port (\d+)\.$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stdout, stop });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Twisted server exited with ${code}: ${stderr}`));
    });
  });
}

/** Kills every Twisted program still running and waits for them (use in afterEach). */
export async function stopTwisted(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
