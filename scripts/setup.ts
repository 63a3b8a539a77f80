// `npm install` runs this (postinstall): makes sure Jupyter (and Twisted, the reference the tests
// and benchmarks compare with) is there, and registers the tslab kernel in the project's own
// .jupyter folder. As root on Debian/Ubuntu it installs them from apt, anywhere else with pip into
// the project's own .venv (installPath). Set TWISTED_INTRO_SKIP_JUPYTER=1 to skip it all.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { $ } from 'zx';
import { findJupyter, installPath, JUPYTER_PREFIX, jupyterPython, ROOT, shownPath, trustNotebooks, VENV, venvCommand } from './jupyter-env';

// netcat-openbsd: the `nc` of the terminal commands the chapters show (test/notebooks/commands.test.ts).
const APT_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-twisted', 'netcat-openbsd'];
const PIP_PACKAGES = ['notebook', 'nbconvert', 'nbclient', 'twisted'];
const MODULES = 'import notebook, nbconvert, nbclient, twisted';

async function hasModules(python: string): Promise<boolean> {
  const check = await $({ nothrow: true, quiet: true })`${python} -c ${MODULES}`;
  return check.exitCode === 0;
}

async function installJupyter(): Promise<void> {
  const apt = await $({ nothrow: true, quiet: true })`command -v apt-get`;
  const way = installPath({ isRoot: process.getuid?.() === 0, hasApt: apt.exitCode === 0 });
  if (way === 'apt') {
    console.log(`setup: as root with apt: installing Jupyter and Twisted from apt: ${APT_PACKAGES.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await $({ stdio: 'inherit', env })`apt-get update -qq`;
    await $({ stdio: 'inherit', env })`apt-get install -y -qq ${APT_PACKAGES}`;
    return;
  }
  const venv = path.relative(ROOT, VENV);
  console.log(`setup: not root or no apt: installing Jupyter and Twisted into the project's own ${venv}/: ${PIP_PACKAGES.join(' ')}`);
  if (venvCommand('pip') === undefined) {
    const made = await $({ nothrow: true, stdio: ['ignore', 'inherit', 'pipe'] })`python3 -m venv ${VENV}`;
    if (made.exitCode !== 0) {
      // Debian and Ubuntu ship venv's pip apart from Python itself.
      throw new Error(`\`python3 -m venv ${venv}\` failed (on Debian/Ubuntu install python3-venv first): ${made.stderr.trim().split('\n').pop() ?? ''}`);
    }
  }
  await $({ stdio: 'inherit' })`${path.join(VENV, 'bin', 'pip')} install ${PIP_PACKAGES}`;
}

async function main(): Promise<void> {
  if (process.env.TWISTED_INTRO_SKIP_JUPYTER) {
    console.log('setup: TWISTED_INTRO_SKIP_JUPYTER is set; not checking Jupyter or registering the kernel');
    return;
  }
  let jupyter = await findJupyter();
  if (jupyter === undefined || !(await hasModules(jupyterPython(jupyter)))) {
    await installJupyter();
    jupyter = await findJupyter();
  } else {
    console.log(`setup: Jupyter and Twisted are there already (${shownPath(jupyter)}): nothing installed`);
  }
  if (jupyter === undefined) throw new Error('Jupyter is still missing after installing it (neither .venv/bin/jupyter nor one on PATH)');
  const python = jupyterPython(jupyter);
  if (!(await hasModules(python))) throw new Error(`${python} cannot run \`${MODULES}\``);

  mkdirSync(JUPYTER_PREFIX, { recursive: true });
  const tslab = path.join(ROOT, 'node_modules', '.bin', 'tslab');
  await $({ quiet: true })`${tslab} install --python=${python} --binary=${tslab} --prefix=${JUPYTER_PREFIX}`;
  console.log(`setup: tslab kernel registered in ${path.relative(ROOT, JUPYTER_PREFIX)}/ (Jupyter on ${shownPath(python)})`);
  await trustNotebooks(jupyter);
  console.log('setup: the course notebooks are trusted (their stored figures show on first open)');
}

main().catch((error: unknown) => {
  console.error(`setup: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});
