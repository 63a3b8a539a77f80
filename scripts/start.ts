// `npm start [-- JUPYTER-OPTIONS]`: opens the course in Jupyter Notebook (6.x or 7.x), with the
// project's tslab kernel. Options given are passed on to `jupyter notebook` and replace ours for
// the same setting (`--port 9000`, `--notebook-dir=/tmp/my-copy`).
import { $ } from 'zx';
import { findJupyter, jupyterEnv, kernelInstalled, NOTEBOOKS, shownPath, trustNotebooks } from './jupyter-env';
import { notebookMajor, notebookOptions } from './notebook-options';

async function main(): Promise<void> {
  const jupyter = await findJupyter();
  if (jupyter === undefined || !kernelInstalled()) {
    throw new Error('Jupyter or the tslab kernel is missing: run `npm install` first');
  }
  const printed = await $({ nothrow: true, quiet: true, env: jupyterEnv() })`${jupyter} notebook --version`;
  const major = notebookMajor(printed.stdout);
  if (major === undefined) throw new Error(`\`${jupyter} notebook --version\` printed no version: is Jupyter Notebook installed?`);
  // Stored figures show on first open only in a trusted notebook.
  await trustNotebooks(jupyter);
  const options = notebookOptions({
    major,
    notebooks: NOTEBOOKS,
    display: Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY),
    root: process.getuid?.() === 0,
    given: process.argv.slice(2),
  });
  console.log(`start: Jupyter Notebook ${printed.stdout.trim()} (${shownPath(jupyter)}) on notebooks/ (English; zh/ holds the Chinese, 中文); open the URL it prints (Ctrl-C stops it)`);
  await $({ stdio: 'inherit', env: jupyterEnv() })`${jupyter} notebook ${options}`;
}

main().catch((error: unknown) => {
  console.error(`start: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});
