// Every terminal command a chapter shows (```sh blocks in its Markdown) works when pasted at the
// project root: a line ending in `&` is a server, started in the background and awaited until it
// prints its port; every other line runs to completion and must exit 0. Servers are stopped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/jupyter-env';
import { chapterFiles } from '../../scripts/notebooks';
import { quoteOutput } from '../helpers/quote-output';

interface NotebookJson {
  cells: { cell_type: string; source: string | string[] }[];
}

/** The fenced blocks of a notebook's Markdown cells: their language and their text. */
function fencedBlocks(file: string): { lang: string; text: string }[] {
  const notebook = JSON.parse(readFileSync(file, 'utf8')) as NotebookJson;
  return notebook.cells
    .filter((cell) => cell.cell_type === 'markdown')
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source))
    .flatMap((markdown) => [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)])
    .map((match) => ({ lang: match[1], text: match[2] }));
}

/** A block's commands: continuation lines joined, blank lines and comments dropped. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Looks like something to type in a terminal. */
const SHELL_LINE = /^(npx|npm|node|nc|printf|curl|kill)\b/;

const children: ChildProcess[] = [];

/** Stops a program started in its own process group: SIGTERM, then SIGKILL if it lingers. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    process.kill(-(child.pid ?? 0), 'SIGTERM');
  });
}

afterEach(async () => {
  await Promise.all(children.splice(0).map(stop));
});

/** Starts a server line (without its `&`) and resolves once it prints the port it named. */
function startServer(line: string): Promise<void> {
  const named = /--port[ =](\d+)/.exec(line)?.[1];
  if (named === undefined) throw new Error(`a server in a shown command must name its port: ${line}`);
  const child = spawn('bash', ['-c', line], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port line within 30 s: ${line}`)), 30_000);
    // Keep reading: a server that prints a line per chunk would stall on a full pipe.
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = / port (\d+)\.$/m.exec(stdout)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      if (port === named) resolve();
      else reject(new Error(`listened on ${port}, not ${named}: ${line}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening: ${line}\n${quoteOutput(stderr.trim())}`));
    });
  });
}

/** Runs a line to its end: resolves with its exit code, stdout and stderr. */
function run(line: string, timeoutSeconds = 180): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('bash', ['-c', line], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      err += `\n(still running after ${timeoutSeconds} s: a server? end its line with &)`;
      void stop(child);
    }, timeoutSeconds * 1000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const notebooks = chapterFiles().map((file) => [path.basename(file, '.ipynb'), file] as const);

describe.each(notebooks)('shown commands of %s', (name, file) => {
  const blocks = fencedBlocks(file);

  it('are in ```sh blocks, so this test finds them', () => {
    const unlabelled = blocks.filter((b) => b.lang === '' && commands(b.text).some((l) => SHELL_LINE.test(l)));
    expect(unlabelled.map((b) => b.text)).toEqual([]);
  });

  const lines = blocks.filter((b) => b.lang === 'sh').flatMap((b) => commands(b.text));
  if (lines.length === 0) return;

  it(`work when pasted at the project root (${lines.length} lines)`, async () => {
    for (const line of lines) {
      if (line.endsWith('&')) {
        await startServer(line.slice(0, -1).trim());
        continue;
      }
      const result = await run(line);
      expect(result.code, `${name}: \`${line}\` failed:\n${result.err.trim()}`).toBe(0);
    }
  });
});
