// What the server benchmarks compare with, and how they print it: the C load generator and C
// servers of ../shared/bench (built at run time into a temporary folder, never into the repo),
// servers written inline for Node and Twisted, and one table per benchmark.
import { execFile, spawnSync } from 'node:child_process';
import { Console } from 'node:console';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { ROOT } from '../helpers/cli';
import { type Server, startProgram } from '../helpers/programs';

/** Where the reference tools live: $BENCH_TOOLS, or the shared folder beside the checkout. */
const TOOLS = [process.env.BENCH_TOOLS, path.join(ROOT, '..', 'shared', 'bench'), path.join(ROOT, '..', '..', 'shared', 'bench')]
  .filter((dir): dir is string => !!dir)
  .find((dir) => existsSync(path.join(dir, 'cload.c')));

let built: string | undefined;
const tools = new Map<string, string | undefined>();

/**
 * The reference tool `name` (cload, cservers) compiled with gcc -O2 into a temporary folder, or
 * undefined when the sources or gcc are missing (the benchmark then says what it left out).
 */
export function cTool(name: 'cload' | 'cservers'): string | undefined {
  if (!tools.has(name)) {
    let exe: string | undefined;
    if (TOOLS !== undefined) {
      built ??= mkdtempSync(path.join(tmpdir(), 'bench-tools-'));
      exe = path.join(built, name);
      const gcc = spawnSync('gcc', ['-O2', '-o', exe, path.join(TOOLS, `${name}.c`)], { stdio: 'ignore' });
      if (gcc.status !== 0) exe = undefined;
    }
    tools.set(name, exe);
  }
  return tools.get(name);
}

/** Removes the temporary folder of the compiled tools. */
export function removeTools(): void {
  if (built !== undefined) rmSync(built, { recursive: true, force: true });
  built = undefined;
  tools.clear();
}

/** Why a C column is missing, for the table's notes. */
export const NO_C_TOOLS = `no C tools (needs gcc and ${TOOLS ?? '../shared/bench'} with cload.c, cservers.c): C server left out, clients from Node`;

/** What cload measured: seconds per client (p50, p99, max), poems per second, and the counts. */
export interface LoadResult {
  wall: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  bad: number;
  poemsPerSec: number;
  timedOut: boolean;
}

/**
 * Runs cload: `clients` clients, `inFlight` at a time, each reading `expected` bytes to EOF.
 * Without cload, the same load from this Node process (costlier: the client shares the machine).
 */
export function runLoad(port: number, clients: number, expected: number, inFlight = clients, limitSeconds = 120): Promise<LoadResult> {
  const exe = cTool('cload');
  if (exe === undefined) return nodeLoad(port, clients, expected, inFlight, limitSeconds);
  return new Promise((resolve, reject) => {
    const args = [port, clients, expected, inFlight, limitSeconds].map(String);
    execFile(exe, args, { timeout: (limitSeconds + 30) * 1000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

/** Starts a Node program given as source (a bare `net` server), with the arguments. */
export function startNode(source: string, args: readonly string[]): Promise<Server> {
  return startProgram(process.execPath, ['-e', source, '--', ...args]);
}

/** One row of a benchmark's table: a program, what it measured, and ours beside it. */
export interface Row {
  program: string;
  [measure: string]: string | number;
}

/**
 * Prints a benchmark's table: a title, the rows (ours first, then the peers), and the notes
 * (what was left out and why, the goal).
 */
export function printTable(title: string, rows: Row[], notes: string[] = []): void {
  // Straight to the process's stdout: vitest labels what goes through its console with the caller.
  const out = new Console({ stdout: process.stdout });
  out.log(`\n${title}`);
  out.table(rows);
  for (const note of notes) out.log(`  ${note}`);
}

/** `a / b` to 2 decimals, or '-' when either is missing. */
export function ratio(a: number | undefined, b: number | undefined, digits = 2): string {
  return a === undefined || b === undefined || !(b > 0) ? '-' : (a / b).toFixed(digits);
}

/** The machine's state beside the figures: a loaded machine makes them noisy. */
export function loadNote(): string {
  const [one, five] = loadavg();
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) on ${cpus().length} cores`;
}

// cload's job in Node, for machines without gcc.
async function nodeLoad(port: number, clients: number, expected: number, inFlight: number, limitSeconds: number): Promise<LoadResult> {
  const times: number[] = [];
  let ok = 0;
  let started = 0;
  const begin = performance.now();
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      let bytes = 0;
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.on('data', (chunk) => (bytes += chunk.length));
      socket.on('close', () => {
        times.push((performance.now() - t0) / 1000);
        if (bytes === expected) ok++;
        resolve();
      });
      socket.on('error', () => {});
      socket.setTimeout(limitSeconds * 1000, () => socket.destroy());
    });
  const worker = async (): Promise<void> => {
    while (started < clients) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, clients) }, worker));
  const wall = (performance.now() - begin) / 1000;
  times.sort((a, b) => a - b);
  const at = (p: number): number => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  return { wall, p50: at(0.5), p99: at(0.99), max: times[times.length - 1], ok, bad: clients - ok, poemsPerSec: clients / wall, timedOut: false };
}
