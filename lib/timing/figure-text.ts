// Chapter 00 (the Chinese edition): the text a figure shows (titles, axis labels, legend names),
// in the notebook's language, from translations/zh/strings.md (tested in test/timing/figure-text.test.ts).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { parseTranslationText } from './translation-format';

/** The languages of the course. */
export type Language = 'en' | 'zh';

/**
 * The language a notebook is read in: `POETRY_LANG` when set, else `zh` when the kernel runs in
 * notebooks/zh (Jupyter starts it in the notebook's folder), else `en`.
 */
export function notebookLanguage(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Language {
  const given = env.POETRY_LANG;
  if (given !== undefined && given !== '') {
    if (given !== 'en' && given !== 'zh') throw new TypeError(`Expected \`POETRY_LANG\` to be 'en' or 'zh', got \`${given}\` (string)`);
    return given;
  }
  return path.basename(cwd) === 'zh' && path.basename(path.dirname(cwd)) === 'notebooks' ? 'zh' : 'en';
}

/** One translated string; `{}` in the English stands for any text, carried into the Chinese. */
export interface FigureString {
  en: string;
  zh: string;
}

/** Reads strings.md (`=== string ===` entries); a malformed file throws TranslationFormatError. */
export function parseStrings(text: string, file = 'strings.md'): FigureString[] {
  const entries = parseTranslationText(text, file, [{ header: /^string$/, parts: ['en', 'zh'] }]);
  return entries.map((entry) => ({ en: entry.en!, zh: entry.zh! }));
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `english` in Chinese, from `strings`: an exact entry first, else the matching entry with `{}`
 * holes that has the most fixed text (`Task {}: read what {} sent` before `Task {}`), each hole's
 * text itself looked up exactly; unchanged when nothing matches.
 */
export function translateWith(strings: readonly FigureString[], english: string): string {
  const exact = strings.find((s) => s.en === english);
  if (exact !== undefined) return exact.zh;
  let best: { zh: string; holes: string[]; fixed: number } | undefined;
  for (const s of strings) {
    if (!s.en.includes('{}')) continue;
    const match = new RegExp(`^${s.en.split('{}').map(escapeRegExp).join('(.*?)')}$`, 's').exec(english);
    const fixed = s.en.replace(/\{\}/g, '').length;
    if (match !== null && (best === undefined || fixed > best.fixed)) best = { zh: s.zh, holes: match.slice(1), fixed };
  }
  if (best === undefined) return english;
  const holes = best.holes.map((hole) => strings.find((h) => h.en === hole)?.zh ?? hole);
  return best.zh.split('{}').reduce((out, piece, i) => out + (i === 0 ? '' : (holes[i - 1] ?? '')) + piece, '');
}

/** The project root, found from this file (notebooks reach lib through a symlink). */
function projectRoot(): string {
  // __dirname is missing under tsx's ESM mode; there the programs run from the project root.
  return typeof __dirname === 'string' ? path.resolve(realpathSync(__dirname), '..', '..') : process.cwd();
}

/** The project's strings.md (read again each time: a small file, and edits show on a re-run). */
export function courseStrings(root: string = projectRoot()): FigureString[] {
  const file = path.join(root, 'translations', 'zh', 'strings.md');
  return existsSync(file) ? parseStrings(readFileSync(file, 'utf8'), file) : [];
}

/** A figure's text in the notebook's language: Chinese when there is an entry for it, else as given. */
export function figureText(english: string, language: Language = notebookLanguage()): string {
  return language === 'zh' ? translateWith(courseStrings(), english) : english;
}
