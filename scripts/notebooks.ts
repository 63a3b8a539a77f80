// Runs notebooks headless through the real Jupyter machinery (nbclient + the tslab kernel) and
// reports what they printed. Used by `npm run chapters` and by test/notebooks.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findJupyter, jupyterEnv, jupyterPython, kernelInstalled, NOTEBOOKS, ROOT } from './jupyter-env';

/** The parameters that make every chapter quick (CI and `--fast`). */
export const FAST_ENV: Record<string, string> = {
  POETRY_DELAY: '0.04',
  POETRY_STEP_SECONDS: '0.02',
  POETRY_BENCH_SCALE: '0.1',
};

/** Lines tslab prints for an error thrown outside a cell's own code: a failure, not noise. */
export const STRAY_ERROR = /^(UncaughtException|UnhandledPromiseRejection):/m;

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

/** One code cell after the run. */
export interface CellRun {
  index: number;
  source: string;
  stdout: string;
  stderr: string;
  /** Kinds of rich output shown (`image/svg+xml`, `text/markdown`, ...). */
  displays: string[];
  error: boolean;
}

/** What a notebook run did. */
export interface NotebookRun {
  name: string;
  ok: boolean;
  seconds: number;
  cells: CellRun[];
  /** The cell that failed, if one did. */
  failed?: CellRun;
  /** Why the run broke, when it did not get to run its cells. */
  broken?: string;
  /** The executed notebook (the JSON nbclient wrote). */
  notebook: unknown;
}

const text = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('') : value ?? '');

/**
 * The chapters in notebooks/, in order (`01-models.ipynb`, ...), optionally only the given ones:
 * `05` is an English chapter, `zh/05` a Chinese one (notebooks/zh/), `zh` every Chinese chapter.
 */
export function chapterFiles(only: readonly string[] = []): string[] {
  const inFolder = (folder: string): string[] =>
    readdirSync(folder)
      .filter((file) => /^\d\d-.*\.ipynb$/.test(file))
      .sort()
      .map((file) => path.join(folder, file));
  if (only.length === 0) return inFolder(NOTEBOOKS);
  return only.flatMap((wanted) => {
    const [, zh, nn] = /^(zh(?:\/|$))?(.*)$/.exec(wanted)!;
    const folder = zh === undefined ? NOTEBOOKS : path.join(NOTEBOOKS, 'zh');
    const all = existsSync(folder) ? inFolder(folder) : [];
    if (zh !== undefined && nn === '') return all;
    const file = all.find((f) => path.basename(f).startsWith(`${nn.padStart(2, '0')}-`));
    if (file === undefined) throw new Error(`no chapter ${wanted} in ${path.relative(ROOT, folder)}/`);
    return [file];
  });
}

function summarize(cells: Cell[], failedIndex: number | undefined): CellRun[] {
  const runs: CellRun[] = [];
  cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const outputs = cell.outputs ?? [];
    const stream = (name: string): string =>
      outputs.filter((o) => o.output_type === 'stream' && o.name === name).map((o) => text(o.text)).join('');
    const stderr = stream('stderr');
    runs.push({
      index,
      source: text(cell.source),
      stdout: stream('stdout'),
      stderr,
      displays: outputs.filter((o) => o.output_type === 'display_data').flatMap((o) => Object.keys(o.data ?? {})),
      error: index === failedIndex || outputs.some((o) => o.output_type === 'error') || STRAY_ERROR.test(stderr),
    });
  });
  return runs;
}

/**
 * Executes `file` on the project's tslab kernel with `env` added to the kernel's environment.
 * With `store`, the executed notebook replaces the file (outputs of a real run).
 */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<NotebookRun> {
  const run = await runNotebookOnce(file, options);
  // A run that broke before its cells could tell (nbclient's own machinery failed, the kernel did
  // not start) says nothing about the chapter: try once more. A cell's failure, or a timeout, is
  // never retried.
  if (run.broken === undefined || /Timeout/.test(run.broken)) return run;
  return runNotebookOnce(file, options);
}

type RunOptions = { env?: Record<string, string>; store?: boolean; timeoutSeconds?: number };

async function runNotebookOnce(file: string, options: RunOptions): Promise<NotebookRun> {
  const jupyter = await findJupyter();
  if (jupyter === undefined || !kernelInstalled()) {
    throw new Error('Jupyter or the tslab kernel is missing: run `npm install` (see README)');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'notebook-run-'));
  const target = options.store ? file : path.join(work, path.basename(file));
  const started = performance.now();
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        jupyterPython(jupyter),
        [path.join(ROOT, 'scripts', 'run-notebook.py'), file, target, String(options.timeoutSeconds ?? 300)],
        { env: jupyterEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    const seconds = (performance.now() - started) / 1000;
    const name = path.basename(file, '.ipynb');
    if (code === 3 || (code !== 0 && code !== 1)) {
      return { name, ok: false, seconds, cells: [], broken: stderr.trim().split('\n').pop() ?? `exit ${code}`, notebook: null };
    }
    const notebook = JSON.parse(readFileSync(target, 'utf8')) as { cells: Cell[] };
    const failedCell = /^failed-cell (\d+)$/m.exec(stdout);
    const cells = summarize(notebook.cells, failedCell ? Number(failedCell[1]) : undefined);
    const failed = cells.find((cell) => cell.error);
    return { name, ok: code === 0 && failed === undefined, seconds, cells, failed, notebook };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A failed run explained: the failing cell's source and what it printed on stderr. */
export function describeFailure(run: NotebookRun): string {
  if (run.broken !== undefined) return `${run.name}: the run broke: ${run.broken}`;
  const cell = run.failed;
  if (cell === undefined) return `${run.name}: failed`;
  return [
    `${run.name}: cell ${cell.index} failed`,
    '--- source ---',
    cell.source,
    '--- stderr ---',
    cell.stderr.trim() || '(empty)',
  ].join('\n');
}

/**
 * The lines that report a timing: they hold an elapsed time like `0:00:10.126361` (not a time of
 * day inside an ISO date such as `2026-11-27T09:58:09Z`).
 */
export function timingLines(run: NotebookRun): string[] {
  return run.cells.flatMap((cell) => cell.stdout.split('\n').filter((line) => /(?<![\dT:])\d+:\d\d:\d\d(\.\d+)?/.test(line)));
}
