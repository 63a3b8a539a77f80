// Where Jupyter and the project's own tslab kernel live (used by setup, start and the notebook runner).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { $ } from 'zx';

/** The project root (scripts are run from it by npm). */
export const ROOT = path.resolve(__dirname, '..');
/** Project-local Jupyter data: the tslab kernelspec lives here, nothing is registered globally. */
export const JUPYTER_PREFIX = path.join(ROOT, '.jupyter');
export const JUPYTER_PATH = path.join(JUPYTER_PREFIX, 'share', 'jupyter');
export const NOTEBOOKS = path.join(ROOT, 'notebooks');

/**
 * The environment Jupyter and its kernels run in: the project's kernelspec first, and the
 * project's own data folder (where `jupyter trust` keeps its signatures), nothing global.
 */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const paths = [JUPYTER_PATH, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: paths, JUPYTER_DATA_DIR: JUPYTER_PATH, ...extra };
}

/** The course's notebooks, English and (when present) Chinese. */
export function courseNotebooks(): string[] {
  const folders = [NOTEBOOKS, path.join(NOTEBOOKS, 'zh')].filter((folder) => existsSync(folder));
  return folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => /^\d\d-.*\.ipynb$/.test(name))
      .map((name) => path.join(folder, name)),
  );
}

/**
 * Signs the course's notebooks as trusted in the project's Jupyter data folder, so Jupyter shows
 * their stored figures and tables on first open (it drops the HTML and SVG outputs of a notebook
 * it has not signed). Jupyter signs again what it saves itself; run this after editing a notebook
 * elsewhere (`npm start` does).
 */
export async function trustNotebooks(jupyter: string): Promise<void> {
  // `jupyter trust` is nbformat's signing tool; Debian's Jupyter lacks the subcommand, not the module.
  const notebooks = courseNotebooks();
  // With no file named, nbformat.sign would wait for a notebook on stdin.
  if (notebooks.length === 0) return;
  await $({ quiet: true, env: jupyterEnv() })`${jupyterPython(jupyter)} -m nbformat.sign ${notebooks}`;
}

/** A path inside the project relative to it (`.venv/bin/jupyter`), any other as it is. */
export function shownPath(file: string): string {
  const inside = path.relative(ROOT, file);
  return inside.startsWith('..') ? file : inside;
}

/** The project's own virtual environment: set-up makes it when it cannot install from apt. */
export const VENV = path.join(ROOT, '.venv');

/** `.venv/bin/NAME` under `root` when the project's virtual environment has it, else undefined. */
export function venvCommand(name: string, root = ROOT): string | undefined {
  const command = path.join(root, '.venv', 'bin', name);
  return existsSync(command) ? command : undefined;
}

/**
 * The absolute path of the `jupyter` command, or undefined when it is not installed: the
 * project's `.venv` first (set-up put it there for this project), then the one on PATH.
 */
export async function findJupyter(root = ROOT): Promise<string | undefined> {
  const local = venvCommand('jupyter', root);
  if (local !== undefined) return local;
  const found = await $({ nothrow: true, quiet: true })`command -v jupyter`;
  const where = found.stdout.trim();
  return found.exitCode === 0 && where !== '' ? where : undefined;
}

/**
 * The Python that Jupyter itself runs on (the first `python3` on PATH may be another one): a
 * virtual environment's own `python3` beside its `jupyter`, else the one the script's `#!` names
 * (pip writes a `/bin/sh` trampoline instead of a `#!` when a venv's path is long).
 */
export function jupyterPython(jupyter: string): string {
  const bin = path.dirname(jupyter);
  const beside = path.join(bin, 'python3');
  if (existsSync(path.join(bin, '..', 'pyvenv.cfg')) && existsSync(beside)) return beside;
  const first = readFileSync(jupyter, 'utf8').split('\n', 1)[0];
  const interpreter = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : [];
  // `#!/usr/bin/env python3` names the interpreter second.
  const name = interpreter[0]?.endsWith('/env') ? interpreter[1] : interpreter[0];
  if (name === undefined) throw new Error(`cannot tell which Python ${jupyter} runs on`);
  return name;
}

/** How set-up installs Jupyter and Twisted: Debian's packages, or pip into the project's `.venv`. */
export type InstallPath = 'apt' | 'venv';

/**
 * apt only as root on a machine that has apt-get (CI, a Debian/Ubuntu container); anywhere else
 * the project's own `.venv`, since `pip install --user` is refused by today's Debian and Ubuntu
 * (PEP 668: their Python is externally managed).
 */
export function installPath(machine: { isRoot: boolean; hasApt: boolean }): InstallPath {
  return machine.isRoot && machine.hasApt ? 'apt' : 'venv';
}

/** True when the project's tslab kernelspec is registered. */
export function kernelInstalled(): boolean {
  return existsSync(path.join(JUPYTER_PATH, 'kernels', 'tslab', 'kernel.json'));
}
