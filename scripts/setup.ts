// `npm install` runs this (postinstall): makes sure Jupyter (and Twisted, the reference the tests
// and benchmarks compare with) is there, and registers the tslab kernel in the project's own
// .jupyter folder. Set TWISTED_INTRO_SKIP_JUPYTER=1 to skip it all.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { $ } from 'zx';
import { findJupyter, JUPYTER_PREFIX, jupyterPython, ROOT, trustNotebooks } from './jupyter-env';

// netcat-openbsd: the `nc` of the terminal commands the chapters show (test/notebooks/commands.test.ts).
const APT_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-twisted', 'netcat-openbsd'];
const PIP_PACKAGES = ['notebook', 'nbconvert', 'nbclient', 'twisted'];
const MODULES = 'import notebook, nbconvert, nbclient, twisted';

async function hasModules(python: string): Promise<boolean> {
  const check = await $({ nothrow: true, quiet: true })`${python} -c ${MODULES}`;
  return check.exitCode === 0;
}

async function installJupyter(): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  const apt = await $({ nothrow: true, quiet: true })`command -v apt-get`;
  if (isRoot && apt.exitCode === 0) {
    console.log(`setup: installing Jupyter and Twisted from apt: ${APT_PACKAGES.join(' ')}`);
    await $({ stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })`apt-get update -qq`;
    await $({ stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })`apt-get install -y -qq ${APT_PACKAGES}`;
  } else {
    console.log(`setup: installing Jupyter and Twisted with pip --user: ${PIP_PACKAGES.join(' ')}`);
    await $({ stdio: 'inherit' })`python3 -m pip install --user ${PIP_PACKAGES}`;
  }
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
  }
  if (jupyter === undefined) throw new Error('Jupyter is still not on PATH after installing it');
  const python = jupyterPython(jupyter);
  if (!(await hasModules(python))) throw new Error(`${python} cannot run \`${MODULES}\``);

  mkdirSync(JUPYTER_PREFIX, { recursive: true });
  const tslab = path.join(ROOT, 'node_modules', '.bin', 'tslab');
  await $({ quiet: true })`${tslab} install --python=${python} --binary=${tslab} --prefix=${JUPYTER_PREFIX}`;
  console.log(`setup: tslab kernel registered in ${path.relative(ROOT, JUPYTER_PREFIX)}/ (Jupyter on ${python})`);
  await trustNotebooks(jupyter);
  console.log('setup: the course notebooks are trusted (their stored figures show on first open)');
}

main().catch((error: unknown) => {
  console.error(`setup: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});
