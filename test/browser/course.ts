// The course as a learner starts it (`npm start`), on a throw-away copy of notebooks/ so that
// Jupyter's autosave never touches the tracked notebooks, and the programs it leaves behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NOTEBOOKS, ROOT } from '../../scripts/jupyter-env';
import { quoteOutput } from '../helpers/quote-output';

/** A running `npm start`. */
export interface Course {
  /** The tree page's URL, token included. */
  url: string;
  port: number;
  /** The copy of notebooks/ Jupyter serves. */
  notebooks: string;
  process: ChildProcess;
  /** Every process started from it carries this in its environment. */
  marker: string;
  /** What npm start printed so far. */
  output(): string;
}

const MARKER = 'TWISTED_INTRO_BROWSER_RUN';

/** notebooks/ copied to a temporary folder, with the lib symlinks (zh/'s too) pointing at the real lib/. */
function copyNotebooks(): string {
  const copy = path.join(mkdtempSync(path.join(tmpdir(), 'browser-course-')), 'notebooks');
  cpSync(NOTEBOOKS, copy, { recursive: true, filter: (from) => path.basename(from) !== 'lib' });
  symlinkSync(path.join(ROOT, 'lib'), path.join(copy, 'lib'));
  if (existsSync(path.join(copy, 'zh'))) symlinkSync(path.join(ROOT, 'lib'), path.join(copy, 'zh', 'lib'));
  return copy;
}

/**
 * Runs `npm start` on a copy of the notebooks, with `extraEnv` (parameters) set as a learner sets
 * them before starting; resolves once Jupyter prints its URL.
 */
export function startCourse(extraEnv: Record<string, string>, timeoutSeconds = 60): Promise<Course> {
  const notebooks = copyNotebooks();
  const marker = randomUUID();
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, [MARKER]: marker };
  // The test must not open a browser of its own on a desktop.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawn('npm', ['start', '--', `--notebook-dir=${notebooks}`], {
    cwd: ROOT,
    env,
    detached: true, // its own process group, so that a failed test can stop it all
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no URL within ${timeoutSeconds} s`), timeoutSeconds * 1000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      stopCourse({ process: child, marker });
      reject(new Error(`npm start: ${why}\n${quoteOutput(output)}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=\w+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], port: Number(match[2]), notebooks, process: child, marker, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(`exited with ${code}`));
  });
}

/**
 * Kills what is left of a course whose test failed half-way: its process group, and whatever
 * else carries its marker (Jupyter starts each kernel in a session of its own).
 */
export function stopCourse(course: Pick<Course, 'process' | 'marker'>): void {
  const { pid } = course.process;
  const pids = [...(pid === undefined ? [] : [-pid]), ...processesOf(course).map((p) => p.pid)];
  for (const target of pids) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Removes the copy of the notebooks. */
export function removeCopy(course: Course): void {
  rmSync(path.dirname(course.notebooks), { recursive: true, force: true });
}

/** The processes (pid and command line) whose environment carries the course's marker. */
export function processesOf(course: Pick<Course, 'marker'>): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (!environ.includes(`${MARKER}=${course.marker}`)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // A zombie has exited; it only waits to be reaped.
      const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (state !== 'Z') found.push({ pid: Number(entry), command });
    } catch {
      // it exited while we looked
    }
  }
  return found;
}

/** The TCP ports something listens on (IPv4 and IPv6), from /proc/net. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st 0A is LISTEN; the local address ends in :PORT (hex).
      if (fields[3] === '0A') ports.add(parseInt(fields[1].split(':').pop() ?? '', 16));
    }
  }
  return ports;
}
