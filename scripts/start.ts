// `npm start`: opens the course in Jupyter Notebook, with the project's tslab kernel.
import { $ } from 'zx';
import { findJupyter, jupyterEnv, kernelInstalled, NOTEBOOKS, trustNotebooks } from './jupyter-env';

async function main(): Promise<void> {
  const jupyter = await findJupyter();
  if (jupyter === undefined || !kernelInstalled()) {
    throw new Error('Jupyter or the tslab kernel is missing: run `npm install` first');
  }
  // Stored figures show on first open only in a trusted notebook.
  await trustNotebooks(jupyter);
  const options = ['--notebook-dir', NOTEBOOKS, '--ip', '127.0.0.1'];
  // Headless (no display, or CI): print the URL and open no browser.
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) options.push('--no-browser');
  if (process.getuid?.() === 0) options.push('--allow-root');
  console.log('start: Jupyter Notebook on notebooks/; open the URL it prints (Ctrl-C stops it)');
  await $({ stdio: 'inherit', env: jupyterEnv() })`${jupyter} notebook ${options}`;
}

main().catch((error: unknown) => {
  console.error(`start: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});
