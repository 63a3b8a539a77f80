// Which Jupyter the project uses and how set-up installs one (scripts/jupyter-env.ts): the
// project's .venv comes first, found in a throw-away project root.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findJupyter, installPath, jupyterPython, venvCommand } from '../../scripts/jupyter-env';

const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function projectRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jupyter-env-'));
  roots.push(root);
  return root;
}

/** Writes an executable script with the given first line. */
function script(file: string, firstLine: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${firstLine}\nexit 0\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('installPath', () => {
  it('takes apt only as root on a machine with apt-get, the project .venv anywhere else', () => {
    expect(installPath({ isRoot: true, hasApt: true })).toBe('apt');
    expect(installPath({ isRoot: false, hasApt: true })).toBe('venv');
    expect(installPath({ isRoot: true, hasApt: false })).toBe('venv');
    expect(installPath({ isRoot: false, hasApt: false })).toBe('venv');
  });
});

describe('findJupyter', () => {
  it('prefers the project .venv/bin/jupyter when there is one', async () => {
    const root = projectRoot();
    const jupyter = script(path.join(root, '.venv', 'bin', 'jupyter'), '#!/bin/sh');
    expect(venvCommand('jupyter', root)).toBe(jupyter);
    expect(await findJupyter(root)).toBe(jupyter);
  });

  it('falls back to the jupyter on PATH without a .venv, or with a .venv that has no jupyter', async () => {
    const root = projectRoot();
    mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
    expect(venvCommand('jupyter', root)).toBeUndefined();
    const found = await findJupyter(root);
    expect(found === undefined || !found.startsWith(root)).toBe(true);
  });
});

describe('jupyterPython', () => {
  it("runs a venv's jupyter on the venv's own python3, whatever its first line says", () => {
    const root = projectRoot();
    // A real venv (no packages): its pyvenv.cfg and bin/python3 are what is looked for.
    execFileSync('python3', ['-m', 'venv', '--without-pip', path.join(root, '.venv')]);
    const jupyter = script(path.join(root, '.venv', 'bin', 'jupyter'), '#!/bin/sh');
    expect(jupyterPython(jupyter)).toBe(path.join(root, '.venv', 'bin', 'python3'));
  });

  it('reads the interpreter from the #! line outside a venv', () => {
    const bin = path.join(projectRoot(), 'bin');
    expect(jupyterPython(script(path.join(bin, 'a'), '#!/usr/bin/python3'))).toBe('/usr/bin/python3');
    expect(jupyterPython(script(path.join(bin, 'b'), '#!/usr/bin/env python3.11'))).toBe('python3.11');
    expect(() => jupyterPython(script(path.join(bin, 'c'), 'no interpreter'))).toThrow(/cannot tell which Python/);
  });
});
