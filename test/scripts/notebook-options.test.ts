// `npm start`'s options for `jupyter notebook` (scripts/notebook-options.ts): NotebookApp's names
// for Notebook 6, ServerApp's for Notebook 7, and the user's own options replacing ours.
import { describe, expect, it } from 'vitest';
import { notebookMajor, notebookOptions, serverClass } from '../../scripts/notebook-options';

const start = { notebooks: '/p/notebooks', display: false, root: false, given: [] as string[] };

describe('notebookMajor and serverClass', () => {
  it('reads the major version from `jupyter notebook --version`', () => {
    expect(notebookMajor('6.4.12\n')).toBe(6);
    expect(notebookMajor('7.2.1\n')).toBe(7);
    expect(notebookMajor('Jupyter is not installed\n')).toBeUndefined();
  });

  it('uses NotebookApp up to Notebook 6, ServerApp from 7 on', () => {
    expect(serverClass(6)).toBe('NotebookApp');
    expect(serverClass(7)).toBe('ServerApp');
    expect(serverClass(8)).toBe('ServerApp');
  });
});

describe('notebookOptions', () => {
  it("names Notebook 6.4's settings NotebookApp.*", () => {
    expect(notebookOptions({ ...start, major: 6 })).toEqual([
      '--NotebookApp.notebook_dir=/p/notebooks',
      '--NotebookApp.ip=127.0.0.1',
      '--NotebookApp.open_browser=False',
    ]);
  });

  it("names Notebook 7's settings ServerApp.*, the folder root_dir", () => {
    expect(notebookOptions({ ...start, major: 7, root: true })).toEqual([
      '--ServerApp.root_dir=/p/notebooks',
      '--ServerApp.ip=127.0.0.1',
      '--ServerApp.open_browser=False',
      '--ServerApp.allow_root=True',
    ]);
  });

  it('opens a browser when there is a display', () => {
    expect(notebookOptions({ ...start, major: 6, display: true })).not.toContain('--NotebookApp.open_browser=False');
  });

  it('lets an option the user gives, short or long, replace ours for the same setting', () => {
    const given = ['--notebook-dir=/tmp/copy', '--port', '9000'];
    expect(notebookOptions({ ...start, major: 7, given })).toEqual(['--ServerApp.ip=127.0.0.1', '--ServerApp.open_browser=False', ...given]);
    const long = notebookOptions({ ...start, major: 6, given: ['--ServerApp.root_dir=/tmp/copy', '--no-browser'] });
    expect(long).toEqual(['--NotebookApp.ip=127.0.0.1', '--NotebookApp.notebook_dir=/tmp/copy', '--no-browser']);
  });

  it("spells the user's NotebookApp.* and ServerApp.* options as the installed Notebook does", () => {
    const given = ['--NotebookApp.token=', '--NotebookApp.notebook_dir=/tmp/copy'];
    expect(notebookOptions({ ...start, major: 7, given }).slice(-2)).toEqual(['--ServerApp.token=', '--ServerApp.root_dir=/tmp/copy']);
    expect(notebookOptions({ ...start, major: 6, given: ['--ServerApp.port=9000'] })).toContain('--NotebookApp.port=9000');
  });
});
