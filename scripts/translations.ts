// `npm run translations`: builds the Chinese chapters, notebooks/zh/NN-slug.ipynb, from the English
// notebook and translations/zh/NN-slug.md. `npm run check:translations` (part of `npm test`)
// fails, naming the chapter and the cell, when they are out of step. Tests: test/translations/.
//
// The translation files are in the format of ZH-BRIEF (see lib/timing/translation-format.ts): one
// `=== cell <id> ===` entry per English markdown cell, with `--- en ---` (the English it was
// translated from, verbatim) and `--- zh ---`. One more kind of entry adds a cell that only the
// Chinese edition has (chapter 00's glossary):
//
//   === zh-only after <cell id> ===
//   --- zh ---
//   <Chinese markdown>
//
// It becomes a markdown cell with the id `zh-<cell id>` (`zh-<cell id>-2`, ... for more after the
// same cell), placed after that English cell and after the zh-only cells before it.
//
// What the build makes: markdown cells hold the Chinese; code cells are the English ones, byte
// for byte (id, source, metadata). Outputs: a chapter whose English run drew a figure (an SVG
// output; its titles and labels are translated, see translations/zh/strings.md), or that is in
// RUNS_IN_ZH, shows its own run from notebooks/zh (`npm run chapters -- zh/NN --store`): the
// build keeps the stored outputs of each code cell whose source is unchanged, and empties the
// others, which the check then reports. Every other chapter gets the English stored outputs.
//
// translations/zh/strings.md holds `=== string ===` entries (`--- en ---`, `--- zh ---`) for the
// figures; `{}` in an English string stands for any text (a number, a name), carried into the
// Chinese at the same place (lib/timing/figure-text.ts reads it when a notebook runs in zh).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { courseStrings, type FigureString } from '../lib/timing/figure-text';
import { escapeXml } from '../lib/timing/svg';
import { parseTranslationText, TranslationFormatError, trimBlankEnd } from '../lib/timing/translation-format';
import { NOTEBOOKS, ROOT } from './jupyter-env';

/** Chapters run in zh although they draw no figure: 00 lists the chapters of its own folder. */
export const RUNS_IN_ZH: readonly string[] = ['00-index'];

/** Where the English notebooks, the Chinese ones (`<notebooks>/zh`) and the translations are. */
export interface Layout {
  notebooks: string;
  translations: string;
  /** The figure strings (default: translations/zh/strings.md of the project). */
  strings?: readonly FigureString[];
}

export const COURSE: Layout = { notebooks: NOTEBOOKS, translations: path.join(ROOT, 'translations', 'zh') };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Cell {
  cell_type: string;
  id: string;
  metadata: Json;
  source: string | string[];
  outputs?: Json[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: Json;
  nbformat: number;
  nbformat_minor: number;
}

/** A chapter's translation: each English cell's entry, and the zh-only cells by the cell they follow. */
export interface Translation {
  file: string;
  cells: Map<string, { en: string; zh: string; line: number }>;
  zhOnly: Array<{ after: string; zh: string; line: number }>;
}

const sourceOf = (cell: Cell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
/** A text as nbformat stores it: a list of lines, each but the last with its newline. */
const linesOf = (text: string): string[] => text.split(/(?<=\n)/).filter((line) => line !== '');

/** Reads a translation file; a malformed one throws TranslationFormatError (file and line). */
export function parseTranslation(text: string, file: string): Translation {
  const entries = parseTranslationText(text, file, [
    { header: /^cell \S+$/, parts: ['en', 'zh'] },
    { header: /^zh-only after \S+$/, parts: ['zh'] },
  ]);
  const translation: Translation = { file, cells: new Map(), zhOnly: [] };
  for (const entry of entries) {
    const [kind, id] = [entry.header.split(' ')[0], entry.header.split(' ').pop()!];
    if (kind === 'zh-only') {
      translation.zhOnly.push({ after: id, zh: entry.zh!, line: entry.line });
    } else {
      if (translation.cells.has(id)) throw new TranslationFormatError(`${file}:${entry.line}: a second entry for cell ${id}`);
      translation.cells.set(id, { en: entry.en!, zh: entry.zh!, line: entry.line });
    }
  }
  return translation;
}

/** Where two texts first differ, in a line or two. */
function firstDifference(was: string, now: string): string {
  const [a, b] = [was.split('\n'), now.split('\n')];
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  const show = (line: string | undefined): string => (line === undefined ? '(no line)' : JSON.stringify(line.length > 100 ? `${line.slice(0, 100)}…` : line));
  return `line ${at + 1}: translated from ${show(a[at])}, the English now says ${show(b[at])}`;
}

/** True when the chapter's outputs come from its own run in notebooks/zh. */
export function runsInZh(name: string, english: Notebook): boolean {
  const drawsFigure = english.cells.some((cell) => (cell.outputs ?? []).some((o) => typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.data === 'object' && o.data !== null && 'image/svg+xml' in o.data));
  return drawsFigure || RUNS_IN_ZH.includes(name);
}

/**
 * The Chinese notebook of chapter `name`, and what is wrong with its translation. `stored` is the
 * Chinese notebook as it is now (its outputs are kept for a chapter that runs in zh).
 * Without an entry for every English markdown cell, `notebook` is undefined.
 */
export function buildChapter(name: string, english: Notebook, translation: Translation, stored?: Notebook): { notebook?: Notebook; problems: string[] } {
  const problems: string[] = [];
  const ids = new Set(english.cells.map((cell) => cell.id));
  const markdownIds = new Set(english.cells.filter((cell) => cell.cell_type === 'markdown').map((cell) => cell.id));
  for (const [id, entry] of translation.cells) {
    if (!markdownIds.has(id)) problems.push(`${name}: the translation of cell ${id} (${path.basename(translation.file)}:${entry.line}) names no markdown cell of the English notebook`);
  }
  for (const extra of translation.zhOnly) {
    if (!ids.has(extra.after)) problems.push(`${name}: the zh-only cell at ${path.basename(translation.file)}:${extra.line} follows cell ${extra.after}, which the English notebook no longer has`);
  }
  const ownRun = runsInZh(name, english);
  const storedCode = new Map((stored?.cells ?? []).filter((cell) => cell.cell_type === 'code').map((cell) => [cell.id, cell]));
  const cells: Cell[] = [];
  let complete = true;
  for (const cell of english.cells) {
    if (cell.cell_type === 'markdown') {
      const entry = translation.cells.get(cell.id);
      if (entry === undefined) {
        problems.push(`${name}: markdown cell ${cell.id} has no translation (add \`=== cell ${cell.id} ===\` to ${path.basename(translation.file)})`);
        complete = false;
        continue;
      }
      const now = trimBlankEnd(sourceOf(cell));
      if (entry.en !== now) problems.push(`${name}: markdown cell ${cell.id} changed since it was translated (${path.basename(translation.file)}:${entry.line}), ${firstDifference(entry.en, now)}`);
      cells.push({ cell_type: 'markdown', id: cell.id, metadata: cell.metadata, source: linesOf(entry.zh) });
    } else if (cell.cell_type === 'code' && ownRun) {
      const own = storedCode.get(cell.id);
      const same = own !== undefined && sourceOf(own) === sourceOf(cell);
      cells.push({ ...cell, outputs: same ? (own.outputs ?? []) : [], execution_count: same ? (own.execution_count ?? null) : null });
    } else {
      cells.push(cell);
    }
    translation.zhOnly
      .filter((extra) => extra.after === cell.id)
      .forEach((extra, i) => cells.push({ cell_type: 'markdown', id: i === 0 ? `zh-${cell.id}` : `zh-${cell.id}-${i + 1}`, metadata: {}, source: linesOf(extra.zh) }));
  }
  return { notebook: complete ? { ...english, cells } : undefined, problems };
}

/** A notebook as nbformat writes it: keys sorted, one space of indent, a newline at the end. */
export function stringifyNotebook(notebook: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
  };
  return `${JSON.stringify(sorted(notebook), null, 1)}\n`;
}

/** A file as a message names it: from the project root when it is in the project. */
const shown = (file: string): string => (path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file));
const readNotebook = (file: string): Notebook => JSON.parse(readFileSync(file, 'utf8')) as Notebook;
const englishChapters = (layout: Layout): string[] =>
  readdirSync(layout.notebooks).filter((file) => /^\d\d-.*\.ipynb$/.test(file)).sort().map((file) => file.replace(/\.ipynb$/, ''));

interface Prepared {
  name: string;
  english: Notebook;
  zhFile: string;
  stored?: Notebook;
  built?: Notebook;
  problems: string[];
}

/** Each English chapter with its translation read and its Chinese notebook built (in memory). */
function prepare(layout: Layout): Prepared[] {
  return englishChapters(layout).map((name) => {
    const english = readNotebook(path.join(layout.notebooks, `${name}.ipynb`));
    const zhFile = path.join(layout.notebooks, 'zh', `${name}.ipynb`);
    const stored = existsSync(zhFile) ? readNotebook(zhFile) : undefined;
    const translationFile = path.join(layout.translations, `${name}.md`);
    if (!existsSync(translationFile)) {
      return { name, english, zhFile, stored, problems: [`${name}: no translation (${shown(translationFile)} is missing)`] };
    }
    try {
      const translation = parseTranslation(readFileSync(translationFile, 'utf8'), shown(translationFile));
      const { notebook, problems } = buildChapter(name, english, translation, stored);
      return { name, english, zhFile, stored, built: notebook, problems };
    } catch (error) {
      if (!(error instanceof TranslationFormatError)) throw error;
      return { name, english, zhFile, stored, problems: [`${name}: ${error.message}`] };
    }
  });
}

/** Writes every Chinese chapter that can be built; returns the chapters written and the problems found. */
export function buildTranslations(layout: Layout = COURSE): { written: string[]; problems: string[] } {
  const written: string[] = [];
  const problems: string[] = [];
  for (const chapter of prepare(layout)) {
    problems.push(...chapter.problems);
    if (chapter.built === undefined) continue;
    mkdirSync(path.dirname(chapter.zhFile), { recursive: true });
    const text = stringifyNotebook(chapter.built);
    if (!existsSync(chapter.zhFile) || readFileSync(chapter.zhFile, 'utf8') !== text) {
      writeFileSync(chapter.zhFile, text);
      written.push(chapter.name);
    }
  }
  return { written, problems };
}

/**
 * An English figure string (one with a translation) still drawn in `svg`: the figure was drawn
 * outside a zh run. Only exact entries are looked for; a `{}` entry could match anything.
 */
export function englishFigureText(svg: string, strings: readonly FigureString[] = courseStrings()): string | undefined {
  return strings.find((s) => s.en !== s.zh && !s.en.includes('{}') && svg.includes(`>${escapeXml(s.en)}<`))?.en;
}

const svgsOf = (cell: Cell): string =>
  (cell.outputs ?? []).map((o) => JSON.stringify((o as { data?: Record<string, unknown> }).data?.['image/svg+xml'] ?? '')).join('\n');

/** What is out of step between the English chapters, their translations and notebooks/zh. */
export function checkTranslations(layout: Layout = COURSE): string[] {
  const strings = layout.strings ?? courseStrings();
  const problems: string[] = [];
  const chapters = prepare(layout);
  const names = new Set(chapters.map((chapter) => chapter.name));
  for (const chapter of chapters) {
    const { name, english, stored, built } = chapter;
    problems.push(...chapter.problems);
    const nn = name.slice(0, 2);
    if (stored === undefined) {
      // Without a translation, that is the one thing to say.
      if (!existsSync(path.join(layout.translations, `${name}.md`))) continue;
      problems.push(`${name}: notebooks/zh/${name}.ipynb is missing (run \`npm run translations\`)`);
      continue;
    }
    const code = (nb: Notebook): Cell[] => nb.cells.filter((cell) => cell.cell_type === 'code');
    const [en, zh] = [code(english), code(stored)];
    const differing = en.findIndex((cell, i) => zh[i] === undefined || zh[i].id !== cell.id || sourceOf(zh[i]) !== sourceOf(cell));
    if (differing !== -1 || zh.length !== en.length) {
      const id = differing === -1 ? zh[en.length].id : en[differing].id;
      problems.push(`${name}: code cell ${id} of notebooks/zh differs from the English one (id, order or source): run \`npm run translations\``);
      continue;
    }
    if (built === undefined) continue;
    const builtById = new Map(built.cells.map((cell) => [cell.id, cell]));
    const storedIds = stored.cells.map((cell) => cell.id);
    for (const cell of built.cells.filter((c) => c.cell_type === 'markdown')) {
      const now = stored.cells.find((c) => c.id === cell.id);
      if (now === undefined || now.cell_type !== 'markdown' || sourceOf(now) !== sourceOf(cell)) {
        problems.push(`${name}: markdown cell ${cell.id} of notebooks/zh is not what the build makes: run \`npm run translations\``);
      }
    }
    if (storedIds.join() !== built.cells.map((cell) => cell.id).join()) {
      const extra = storedIds.find((id) => !builtById.has(id));
      problems.push(`${name}: notebooks/zh has other cells than the build makes${extra ? ` (cell ${extra})` : ''}: run \`npm run translations\``);
      continue;
    }
    if (runsInZh(name, english)) {
      const rerun = `run \`npm run chapters -- zh/${nn} --store\``;
      const unrun = en.filter((cell, i) => (cell.outputs ?? []).length > 0 && (zh[i].outputs ?? []).length === 0).map((cell) => cell.id);
      if (unrun.length > 0) {
        const cells = unrun.length === 1 ? `code cell ${unrun[0]} has` : `code cells ${unrun.slice(0, 3).join(', ')}${unrun.length > 3 ? ` (and ${unrun.length - 3} more)` : ''} have`;
        problems.push(`${name}: ${cells} no output from a run in notebooks/zh: ${rerun}`);
      }
      for (const cell of zh) {
        const leftover = englishFigureText(svgsOf(cell), strings);
        if (leftover !== undefined) problems.push(`${name}: code cell ${cell.id} shows the English figure text ${JSON.stringify(leftover)}: ${rerun}`);
      }
    }
    const builtText = (cell: Cell): string => stringifyNotebook(builtById.get(cell.id));
    const changed = stored.cells.find((cell) => stringifyNotebook(cell) !== builtText(cell));
    if (changed !== undefined && !problems.some((problem) => problem.startsWith(`${name}: `))) {
      problems.push(`${name}: cell ${changed.id} of notebooks/zh (outputs or metadata) is not what the build makes: run \`npm run translations\``);
    }
  }
  const zhFolder = path.join(layout.notebooks, 'zh');
  const strays = [
    ...(existsSync(zhFolder) ? readdirSync(zhFolder).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).map((f) => f.replace(/\.ipynb$/, '')) : []),
    ...(existsSync(layout.translations) ? readdirSync(layout.translations).filter((f) => /^\d\d-.*\.md$/.test(f)).map((f) => f.replace(/\.md$/, '')) : []),
  ].filter((name) => !names.has(name));
  for (const stray of new Set(strays)) problems.push(`${stray}: a Chinese chapter or translation without an English notebook ${stray}.ipynb`);
  return problems;
}

function main(): void {
  const check = process.argv.includes('--check');
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`translations: unknown argument ${unknown[0]} (usage: translations [--check])`);
    process.exitCode = 2;
    return;
  }
  const built = check ? undefined : buildTranslations();
  const problems = built?.problems ?? checkTranslations();
  if (built !== undefined) console.log(`translations: ${built.written.length} chapter(s) written to notebooks/zh/ (${built.written.join(', ') || 'none changed'})`);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`translations: ${problems.length} problem(s); see translations/zh/ and README (Chinese edition)`);
    process.exitCode = 1;
  } else if (check) {
    console.log('translations: every Chinese chapter is in step with its English chapter');
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    // A malformed strings.md, an unreadable notebook: one line, not a stack.
    console.error(`translations: ${(error as Error).message.split('\n')[0]}`);
    process.exitCode = 1;
  }
}
