// `npm start [-- JUPYTER-OPTIONS]`: opens the course in Jupyter Notebook, with the project's tslab
// kernel. Options given are passed on to `jupyter notebook` and replace ours (`--port 9000`).
import { $ } from 'zx';
import { findJupyter, jupyterEnv, kernelInstalled, NOTEBOOKS, trustNotebooks } from './jupyter-env';

async function main(): Promise<void> {
  const jupyter = await findJupyter();
  if (jupyter === undefined || !kernelInstalled()) {
    throw new Error('Jupyter or the tslab kernel is missing: run `npm install` first');
  }
  // Stored figures show on first open only in a trusted notebook.
  await trustNotebooks(jupyter);
  const given = process.argv.slice(2);
  // Jupyter refuses some options twice (--notebook-dir): one the user gives replaces ours.
  const named = new Set(given.map((option) => option.split('=')[0]));
  const options = [`--notebook-dir=${NOTEBOOKS}`, '--ip=127.0.0.1'].filter((option) => !named.has(option.split('=')[0]));
  // Headless (no display, or CI): print the URL and open no browser.
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) options.push('--no-browser');
  if (process.getuid?.() === 0) options.push('--allow-root');
  options.push(...given);
  console.log('start: Jupyter Notebook on notebooks/ (English; zh/ holds the Chinese, 中文); open the URL it prints (Ctrl-C stops it)');
  await $({ stdio: 'inherit', env: jupyterEnv() })`${jupyter} notebook ${options}`;
}

main().catch((error: unknown) => {
  console.error(`start: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});
