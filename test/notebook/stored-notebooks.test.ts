// What every stored chapter promises a learner (issue 10): its parameters where they are looked
// for, and outputs free of this machine's paths, the kernel's frames and walls of log.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  traceback?: string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: Output[];
}

const text = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('') : (value ?? ''));
const folders = ['notebooks', 'notebooks/zh'].filter((folder) => existsSync(path.join(ROOT, folder)));
const chapters = folders.flatMap((folder) =>
  readdirSync(path.join(ROOT, folder))
    .filter((name) => /^\d\d-.*\.ipynb$/.test(name))
    .map((name) => path.join(folder, name)),
);
const cellsOf = (file: string): Cell[] => (JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { cells: Cell[] }).cells;

// A path of the machine that stored the run: an absolute path under a top-level folder.
const MACHINE_PATH = /(?<![\w:/.~-])\/(?:work|home|root|tmp|usr|var|opt|mnt|srv)\/[\w.-]+/;
// Frames of the kernel or of Node's internals in a shown stack.
const KERNEL_FRAME = /^\s+at .*(?:\bnode:[\w/]+:\d|\bnode_modules[\\/]|evalmachine)/m;
// Code that runs the reactor or the chapter's programs.
const RUNS = /startPrograms|reactor\.run\(|runReactor/;
// The exercises' and answers' headings, in English or Chinese.
const EXERCISES = /^## (?:Exercises|练习)\s*$/m;
const ANSWERS = /^#{2,3} (?:(?:Worked )?answers|Answers|(?:练习)?答案|参考答案)/m;
/** A single stream output longer than this is a log a summary or a figure could replace. */
const LONG_OUTPUT = 2048;

describe.each(chapters)('%s', (file) => {
  const cells = cellsOf(file);
  const code = cells.filter((cell) => cell.cell_type === 'code');

  it('starts with a parameters cell (tagged `parameters`) whose every parameter NAME is read from POETRY_NAME', () => {
    const [first] = code;
    expect(first.metadata?.tags ?? []).toContain('parameters');
    const names: string[] = [];
    for (const line of text(first.source).split('\n')) {
      const match = /^const ([A-Z][A-Z0-9_]*)\b[^=]*=(.*)$/.exec(line);
      if (match === null) continue;
      const [, name, value] = match;
      const readsItsVariable = value.includes(`process.env.POETRY_${name} `);
      const derived = names.some((earlier) => new RegExp(`\\b${earlier}\\b`).test(value));
      expect(readsItsVariable || derived, `${name}: read it from process.env.POETRY_${name}, or derive it from a parameter`).toBe(true);
      names.push(name);
    }
    expect(names.length).toBeGreaterThan(0);
  });

  it('reads the environment in the parameters cell only', () => {
    for (const cell of code.slice(1)) {
      expect(text(cell.source), 'a parameter outside the first cell').not.toMatch(/process\.env\.[A-Z]/);
    }
  });

  // Chapter 00 is the index: it shows the course, not a run.
  if (!path.basename(file).startsWith('00-')) {
    it('stores a figure from its run', () => {
      const figures = code.flatMap((cell) => cell.outputs ?? []).filter((output) => output.data?.['image/svg+xml'] !== undefined);
      expect(figures.length, `${file}: an SVG figure among the stored outputs`).toBeGreaterThan(0);
    });
  }

  it('ends with two to four exercises, then their answers', () => {
    const headings = cells.filter((cell) => cell.cell_type === 'markdown').map((cell) => text(cell.source));
    const exercises = headings.findIndex((source) => EXERCISES.test(source));
    expect(exercises, `${file}: a "## Exercises" section`).toBeGreaterThanOrEqual(0);
    const section = headings[exercises].slice(headings[exercises].search(EXERCISES));
    const items = section.split(/\n(?=#)/)[0].match(/^\d+\. /gm) ?? [];
    expect(items.length, `${file}: exercises numbered 1. 2. ...`).toBeGreaterThanOrEqual(2);
    expect(items.length).toBeLessThanOrEqual(4);
    expect(headings.slice(exercises).some((source) => ANSWERS.test(source)), `${file}: answers after the exercises`).toBe(true);
  });

  // A chapter that runs the reactor or programs says, before it does, what to do after an interrupt.
  if (code.some((cell) => RUNS.test(text(cell.source)))) {
    it('says near the top what to do when a cell is interrupted or fails', () => {
      const secondCode = cells.indexOf(code[1]);
      const before = cells.slice(0, secondCode).filter((cell) => cell.cell_type === 'markdown').map((cell) => text(cell.source));
      expect(before.some((source) => /interrupt|中断/i.test(source)), `${file}: a note on interrupts before its second code cell`).toBe(true);
    });
  }

  it('stores outputs without machine paths, kernel frames or long logs', () => {
    for (const [index, cell] of code.entries()) {
      for (const output of cell.outputs ?? []) {
        const shown = [text(output.text), text(output.data?.['text/plain']), text(output.data?.['text/markdown']), (output.traceback ?? []).join('\n')].join('\n');
        const where = `${file}, code cell ${index + 1}`;
        expect(shown, `${where}: a path of the machine that stored it`).not.toMatch(MACHINE_PATH);
        expect(shown, `${where}: the kernel's own stack frames (use trimStack)`).not.toMatch(KERNEL_FRAME);
        if (output.output_type === 'stream') {
          expect(text(output.text).length, `${where}: a log over ${LONG_OUTPUT} characters (use summarisedLog or a figure)`).toBeLessThanOrEqual(LONG_OUTPUT);
        }
      }
    }
  });
});
