// Runs Twisted programs (Python, written inline by the tests) beside ours: the interop tests and
// the benchmarks that compare with Twisted use these.
import { spawnSync } from 'node:child_process';
import { venvCommand } from '../../scripts/jupyter-env';
import { runProgram, type Server, startProgram } from './programs';
import { quoteOutput } from './quote-output';

let python: string | undefined;

/**
 * The first Python that imports Twisted: $TWISTED_PYTHON, the project's .venv (where set-up
 * installs it without root), Debian's /usr/bin/python3, or python3.
 */
export function findTwistedPython(): string | undefined {
  python ??= [process.env.TWISTED_PYTHON, venvCommand('python3'), '/usr/bin/python3', 'python3']
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
        "(npm install does: as root on Debian/Ubuntu with apt-get install python3-twisted, else into the project's .venv with pip), " +
        'or point TWISTED_PYTHON at a Python that has it.',
    );
  }
  return found;
}

/**
 * Runs a Twisted program to its end (killed after 20 s), writing `input` to its stdin.
 * @throws Error (rejects) when it exits non-zero.
 */
export async function runTwisted(script: string, args: readonly string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await runProgram(twistedPython(), ['-u', '-c', script, ...args], { input });
  if (code !== 0) throw new Error(`the Twisted program exited with ${code}: ${quoteOutput(stderr)}`);
  return stdout;
}

/**
 * Starts a Twisted server that prints `... on port P.` (stopped by `stopAll` from ./programs).
 * @throws Error (rejects) when it exits or prints no port within 20 s.
 */
export function startTwisted(script: string, args: readonly string[]): Promise<Server> {
  return startProgram(twistedPython(), ['-u', '-c', script, ...args]);
}
