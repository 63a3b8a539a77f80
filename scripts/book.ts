// `npm run book`: the course as a website in site/, from the notebooks as stored (outputs and
// figures included), for readers who look before they install. nbconvert renders each notebook
// with the template in scripts/templates/book; this script only decides the pages and their links.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findJupyter, NOTEBOOKS, ROOT } from './jupyter-env';

/** A language of the course: its notebooks' folder and where its pages go in the site. */
interface Language {
  code: 'en' | 'zh';
  /** The folder of its pages, relative to the site's root ('' or 'zh/'). */
  prefix: string;
  notebooks: string;
  words: { contents: string; previous: string; next: string; notebook: string; name: string };
}

/** One page of the site. */
export interface BookPage {
  language: 'en' | 'zh';
  /** The page, relative to the site's root (`02-slow-poetry.html`, `zh/index.html`). */
  page: string;
  /** The notebook it was built from. */
  source: string;
  title: string;
}

interface Link {
  rel: string;
  href: string;
  text: string;
  hreflang?: string;
}

const INDEX = /^00-.*\.ipynb$/;
const CHAPTER = /^\d\d-.*\.ipynb$/;
export const SITE = path.join(ROOT, 'site');
const TEMPLATES = path.join(ROOT, 'scripts', 'templates');

function languages(notebooks: string): Language[] {
  const found: Language[] = [
    {
      code: 'en',
      prefix: '',
      notebooks,
      words: { contents: 'Contents', previous: 'Previous', next: 'Next', notebook: 'The notebook', name: 'English' },
    },
  ];
  const zh = path.join(notebooks, 'zh');
  if (existsSync(zh) && readdirSync(zh).some((file) => CHAPTER.test(file))) {
    found.push({
      code: 'zh',
      prefix: 'zh/',
      notebooks: zh,
      words: { contents: '目录', previous: '上一章', next: '下一章', notebook: '笔记本文件', name: '中文' },
    });
  }
  return found;
}

/** The page a notebook becomes: the 00 notebook is the index. */
const pageName = (file: string): string => (INDEX.test(file) ? 'index.html' : file.replace(/\.ipynb$/, '.html'));

interface Notebook {
  nbformat?: number;
  nbformat_minor?: number;
  cells: Array<{ cell_type: string; source: string | string[]; metadata?: unknown }>;
  metadata: Record<string, unknown>;
}

/** A notebook's title: the first line of its first markdown cell, without the `#`. */
function titleOf(notebook: Notebook, file: string): string {
  const markdown = notebook.cells.find((cell) => cell.cell_type === 'markdown');
  const source = markdown === undefined ? '' : Array.isArray(markdown.source) ? markdown.source.join('') : markdown.source;
  return source.split('\n')[0].replace(/^#+\s*/, '').trim() || file.replace(/\.ipynb$/, '');
}

/** An index notebook for a language that has none: its chapters in a table. */
function contentsNotebook(lang: Language, chapters: Array<[file: string, title: string]>): Notebook {
  const rows = chapters.map(([file, title]) => `| [${file.slice(0, 2)}](${file}) | ${title.replace(/\|/g, '\\|')} |`);
  const source = [`# ${lang.words.contents}`, '', `| | ${lang.words.contents} |`, '|---|---|', ...rows].join('\n');
  return { nbformat: 4, nbformat_minor: 4, cells: [{ cell_type: 'markdown', metadata: {}, source }], metadata: { generated: true } };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args[0]} failed (${code}): ${errors.trim().split('\n').pop()}`)),
    );
  });
}

/**
 * Rewrites links between notebooks (`02-slow-poetry.ipynb`) into links between pages. In a
 * Chinese page, `../02-slow-poetry.ipynb` (the English chapter) and a link to a chapter not yet
 * translated lead to the English page; in an English page, `zh/02-slow-poetry.ipynb` leads to the
 * Chinese page.
 */
function linkPages(html: string, files: readonly string[], english?: readonly string[], chinese?: readonly string[]): string {
  return html.replace(/href="((?:\.\.\/)?)((?:zh\/)?)(\d\d-[^"/]*\.ipynb)(#[^"]*)?"/g, (whole, up: string, zh: string, file: string, anchor: string | undefined) => {
    const at = anchor ?? '';
    if (zh !== '') return up === '' && chinese?.includes(file) ? `href="zh/${pageName(file)}${at}"` : whole;
    if (up === '' && files.includes(file)) return `href="${pageName(file)}${at}"`;
    if (english?.includes(file)) return `href="../${pageName(file)}${at}"`;
    return whole;
  });
}

/**
 * Builds the site into `out` (emptied first) from `notebooks` (and `notebooks/zh` when it holds
 * chapters): one page per notebook, with links to the contents, the previous and next chapters,
 * the notebook file (copied into `notebooks/` beside the pages) and the other language.
 */
export async function buildBook(options: { notebooks?: string; out?: string } = {}): Promise<BookPage[]> {
  const notebooks = options.notebooks ?? NOTEBOOKS;
  const out = options.out ?? SITE;
  const jupyter = await findJupyter();
  if (jupyter === undefined) throw new Error('Jupyter (nbconvert) is missing: run `npm install` (see README)');
  rmSync(out, { recursive: true, force: true });
  const work = mkdtempSync(path.join(tmpdir(), 'book-'));
  const langs = languages(notebooks);
  const pages: BookPage[] = [];
  try {
    for (const lang of langs) {
      const files = readdirSync(lang.notebooks).filter((file) => CHAPTER.test(file)).sort();
      const other = langs.find((l) => l.code !== lang.code);
      const staged = path.join(work, lang.code);
      const target = path.join(out, lang.prefix);
      mkdirSync(staged, { recursive: true });
      mkdirSync(path.join(target, 'notebooks'), { recursive: true });
      const notebookOf = new Map(files.map((file) => [file, JSON.parse(readFileSync(path.join(lang.notebooks, file), 'utf8')) as Notebook]));
      const title = (file: string): string => titleOf(notebookOf.get(file)!, file);
      // Without a 00 notebook (a translation under way), the index is a table of the chapters.
      if (!files.some((file) => INDEX.test(file))) {
        notebookOf.set('00-contents.ipynb', contentsNotebook(lang, files.map((file) => [file, title(file)])));
        files.unshift('00-contents.ipynb');
      }
      const order = [...files.filter((f) => INDEX.test(f)), ...files.filter((f) => !INDEX.test(f))];
      order.forEach((file, i) => {
        const notebook = notebookOf.get(file)!;
        const links: Link[] = [{ rel: 'contents', href: 'index.html', text: lang.words.contents }];
        const previous = order[i - 1];
        const next = order[i + 1];
        if (previous !== undefined) links.push({ rel: 'prev', href: pageName(previous), text: `← ${lang.words.previous}: ${title(previous)}` });
        if (next !== undefined) links.push({ rel: 'next', href: pageName(next), text: `${lang.words.next}: ${title(next)} →` });
        if (notebookOf.get(file)?.metadata.generated !== true) {
          links.push({ rel: 'notebook', href: `notebooks/${file}`, text: `${lang.words.notebook} (${file})` });
        }
        // The index pages always lead to each other; a chapter, once it is translated.
        if (other !== undefined && (INDEX.test(file) || existsSync(path.join(other.notebooks, file)))) {
          const up = lang.prefix === '' ? other.prefix : '../';
          links.push({ rel: 'alternate', href: `${up}${pageName(file)}`, text: other.words.name, hreflang: other.code });
        }
        notebook.metadata = { ...notebook.metadata, title: title(file), book: { links } };
        writeFileSync(path.join(staged, pageName(file).replace(/\.html$/, '.ipynb')), JSON.stringify(notebook));
        if (existsSync(path.join(lang.notebooks, file))) copyFileSync(path.join(lang.notebooks, file), path.join(target, 'notebooks', file));
        pages.push({ language: lang.code, page: `${lang.prefix}${pageName(file)}`, source: path.join(lang.notebooks, file), title: title(file) });
      });
      await run(jupyter, [
        'nbconvert',
        '--to=html',
        '--template=book',
        `--TemplateExporter.extra_template_basedirs=${TEMPLATES}`,
        `--output-dir=${target}`,
        '--log-level=WARN',
        ...order.map((file) => path.join(staged, pageName(file).replace(/\.html$/, '.ipynb'))),
      ]);
      for (const file of order) {
        const page = path.join(target, pageName(file));
        const english = lang.code === 'zh' ? readdirSync(notebooks).filter((f) => CHAPTER.test(f)) : undefined;
        const chinese = lang.code !== 'zh' && other !== undefined ? readdirSync(other.notebooks).filter((f) => CHAPTER.test(f)) : undefined;
        const html = linkPages(readFileSync(page, 'utf8'), files, english, chinese).replace(/^<html(?: lang="[^"]*")?>/m, `<html lang="${lang.code}">`);
        writeFileSync(page, html);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return pages;
}

async function main(): Promise<void> {
  const pages = await buildBook();
  console.log(`book: ${pages.length} pages in ${path.relative(process.cwd(), SITE) || SITE}/; open site/index.html`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`book: ${(error as Error).message.split('\n')[0]}`);
    process.exitCode = 1;
  });
}
