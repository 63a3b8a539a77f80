// The options `npm start` (scripts/start.ts) gives `jupyter notebook`, named as the installed
// Notebook names them: 6.x (Debian's) is its own server and takes `--NotebookApp.*`; 7.x, built
// on jupyter_server and JupyterLab 4 (what pip installs), takes `--ServerApp.*`. Tested in
// test/scripts/notebook-options.test.ts.

/** The configurable class that holds the server's settings. */
export type ServerClass = 'NotebookApp' | 'ServerApp';

/**
 * The major version in what `jupyter notebook --version` prints ("6.4.12" -> 6), or undefined
 * when it printed no version.
 */
export function notebookMajor(printed: string): number | undefined {
  const match = /^\s*(\d+)\.\d+/m.exec(printed);
  return match === null ? undefined : Number(match[1]);
}

/** Notebook 7 moved the server's settings to jupyter_server's ServerApp. */
export function serverClass(major: number): ServerClass {
  return major >= 7 ? 'ServerApp' : 'NotebookApp';
}

// Settings whose name changed with the class (NotebookApp's -> ServerApp's); the others kept theirs.
const RENAMED: Record<string, string> = { notebook_dir: 'root_dir' };
// The short options both versions accept, and the setting each sets (in NotebookApp's names).
const ALIASES: Record<string, string> = {
  'notebook-dir': 'notebook_dir',
  ip: 'ip',
  port: 'port',
  browser: 'browser',
  'no-browser': 'open_browser',
  'allow-root': 'allow_root',
};

/** The setting, in NotebookApp's names, that an option sets (`--notebook-dir=x`, `--ServerApp.root_dir=x`). */
function settingOf(option: string): string | undefined {
  const name = /^--([\w.-]+)/.exec(option)?.[1];
  if (name === undefined) return undefined;
  const trait = /^(?:NotebookApp|ServerApp)\.(\w+)$/.exec(name)?.[1];
  if (trait === undefined) return ALIASES[name];
  return Object.keys(RENAMED).find((old) => RENAMED[old] === trait) ?? trait;
}

/** `--NotebookApp.SETTING=...` or `--ServerApp.SETTING=...` as `server` names it. */
function spelled(option: string, server: ServerClass): string {
  const match = /^--(?:NotebookApp|ServerApp)\.(\w+)(.*)$/s.exec(option);
  if (match === null) return option;
  const setting = settingOf(option) ?? match[1];
  return `--${server}.${server === 'ServerApp' ? (RENAMED[setting] ?? setting) : setting}${match[2]}`;
}

export interface StartOptions {
  /** The Notebook's major version (notebookMajor). */
  major: number;
  /** The folder Jupyter serves. */
  notebooks: string;
  /** A display to open a browser on. */
  display: boolean;
  /** Running as root (Jupyter refuses to unless told). */
  root: boolean;
  /** The user's own options, which replace ours for the same setting. */
  given: string[];
}

/**
 * The options for `jupyter notebook`: ours, each under the installed Notebook's name for it,
 * unless the user gave one for the same setting (Jupyter refuses some twice), then the user's,
 * `--NotebookApp.*` and `--ServerApp.*` spelled as that Notebook spells them.
 */
export function notebookOptions(start: StartOptions): string[] {
  const server = serverClass(start.major);
  const ours: Record<string, string> = { notebook_dir: start.notebooks, ip: '127.0.0.1' };
  // Headless (no display, or CI): print the URL and open no browser.
  if (!start.display) ours.open_browser = 'False';
  if (start.root) ours.allow_root = 'True';
  const named = new Set(start.given.map(settingOf));
  const options = Object.entries(ours)
    .filter(([setting]) => !named.has(setting))
    .map(([setting, value]) => spelled(`--NotebookApp.${setting}=${value}`, server));
  return [...options, ...start.given.map((option) => spelled(option, server))];
}
