// `npm run book` (scripts/book.ts): every notebook becomes a page with its outputs and figures,
// every link between pages and to the notebook files resolves, and Chinese chapters, once in
// notebooks/zh, get pages of their own with a language switch.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BookPage, buildBook } from '../../scripts/book';
import { NOTEBOOKS } from '../../scripts/jupyter-env';

const work = mkdtempSync(path.join(tmpdir(), 'book-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const chapters = readdirSync(NOTEBOOKS).filter((file) => /^\d\d-.*\.ipynb$/.test(file)).sort();

/** The `href`s and `src`s of a page that point inside the site. */
function localLinks(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)]
    .map((m) => m[1])
    .filter((link) => !/^([a-z]+:|#|\/\/)/i.test(link))
    .map((link) => decodeURIComponent(link.split('#')[0]));
}

/** The links of the navigation bar, by `rel`. */
function nav(html: string): Map<string, string> {
  const top = /<nav class="book-nav book-nav-top">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return new Map([...top.matchAll(/rel="(\w+)" href="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** The SVG figures a stored notebook holds. */
function storedFigures(file: string): string[] {
  const notebook = JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ outputs?: Array<{ data?: Record<string, string | string[]> }> }> };
  const svgs = notebook.cells.flatMap((cell) => cell.outputs ?? []).map((output) => output.data?.['image/svg+xml']);
  return svgs.filter((svg): svg is string | string[] => svg !== undefined).map((svg) => (Array.isArray(svg) ? svg.join('') : svg));
}

/** Every local link of every page of `site` names a file that exists. */
function expectLinksResolve(site: string, pages: BookPage[]): void {
  for (const { page } of pages) {
    const html = readFileSync(path.join(site, page), 'utf8');
    for (const link of localLinks(html)) {
      expect(existsSync(path.join(site, path.dirname(page), link)), `${page} links to ${link}`).toBe(true);
    }
  }
}

describe('the book of the stored notebooks', () => {
  const site = path.join(work, 'site');
  let pages: BookPage[] = [];
  const english = (): BookPage[] => pages.filter((p) => p.language === 'en');
  beforeAll(async () => {
    pages = await buildBook({ out: site });
  }, 120_000);

  it('has a page for every notebook, the 00 one as the index', () => {
    const expected = chapters.map((file) => (file.startsWith('00-') ? 'index.html' : file.replace(/\.ipynb$/, '.html')));
    // notebooks/zh, when present, adds pages under zh/ (checked below).
    expect(english().map((p) => p.page).sort()).toEqual(expected.sort());
    for (const page of expected) expect(existsSync(path.join(site, page)), page).toBe(true);
    const index = readFileSync(path.join(site, 'index.html'), 'utf8');
    for (const page of expected.filter((p) => p !== 'index.html')) expect(localLinks(index)).toContain(page);
  });

  it('links every page to the contents, its neighbours and its notebook file, and all links resolve', () => {
    for (const language of ['en', 'zh'] as const) {
      const these = pages.filter((p) => p.language === language);
      const order = these.map((p) => p.page.replace(/^zh\//, ''));
      order.forEach((page, i) => {
        const links = nav(readFileSync(path.join(site, these[i].page), 'utf8'));
        expect(links.get('contents'), page).toBe('index.html');
        expect(links.get('prev'), page).toBe(order[i - 1]);
        expect(links.get('next'), page).toBe(order[i + 1]);
        expect(links.get('notebook'), page).toBe(`notebooks/${path.basename(these[i].source)}`);
      });
    }
    expectLinksResolve(site, pages);
  });

  it('shows every stored figure, and is a page a phone can read that loads nothing from the web', () => {
    for (const { page, source } of pages) {
      const html = readFileSync(path.join(site, page), 'utf8');
      const figures = [...html.matchAll(/data-mime-type="image\/svg\+xml">\s*<svg/g)].length;
      const stored = storedFigures(source);
      expect(figures, page).toBe(stored.length);
      // Each one whole, shapes included (a sanitizer would leave an empty <svg>).
      for (const svg of stored) expect(html.includes(svg.trim()), `${page}: a figure drawn as stored`).toBe(true);
      expect(html, page).toContain('<meta name="viewport" content="width=device-width');
      expect(html, page).toMatch(/@media \(max-width:/);
      expect(html, page).not.toMatch(/<(script|link|img)\b[^>]*\s(src|href)="(https?:)?\/\//);
    }
    expect(pages.some((p) => storedFigures(p.source).length > 0)).toBe(true);
  });
});

describe('the book with Chinese chapters', () => {
  const source = path.join(work, 'notebooks');
  const site = path.join(work, 'site-zh');
  const [index, first, second] = chapters;
  let pages: BookPage[] = [];
  beforeAll(async () => {
    // Two chapters in English, one of them translated (here: copied), and no Chinese index yet.
    mkdirSync(path.join(source, 'zh'), { recursive: true });
    for (const file of [index, first, second]) copyFileSync(path.join(NOTEBOOKS, file), path.join(source, file));
    copyFileSync(path.join(NOTEBOOKS, second), path.join(source, 'zh', second));
    pages = await buildBook({ notebooks: source, out: site });
  }, 120_000);

  it('builds the Chinese pages under zh/, with a contents page of their own', () => {
    const zh = pages.filter((p) => p.language === 'zh').map((p) => p.page);
    expect(zh).toEqual(['zh/index.html', `zh/${second.replace(/\.ipynb$/, '.html')}`]);
    expect(readFileSync(path.join(site, zh[1]), 'utf8')).toMatch(/<html lang="zh">/);
    expect(localLinks(readFileSync(path.join(site, 'zh', 'index.html'), 'utf8'))).toContain(second.replace(/\.ipynb$/, '.html'));
    // (The English index names chapters this small copy of the course leaves out.)
    expectLinksResolve(site, pages.filter((p) => p.language === 'zh'));
  });

  it('switches language on the pages that exist in both', () => {
    const page = second.replace(/\.ipynb$/, '.html');
    expect(nav(readFileSync(path.join(site, page), 'utf8')).get('alternate')).toBe(`zh/${page}`);
    expect(nav(readFileSync(path.join(site, 'zh', page), 'utf8')).get('alternate')).toBe(`../${page}`);
    expect(nav(readFileSync(path.join(site, 'index.html'), 'utf8')).get('alternate')).toBe('zh/index.html');
    expect(nav(readFileSync(path.join(site, 'zh', 'index.html'), 'utf8')).get('alternate')).toBe('../index.html');
    // A chapter not translated yet has no switch.
    expect(nav(readFileSync(path.join(site, first.replace(/\.ipynb$/, '.html')), 'utf8')).has('alternate')).toBe(false);
  });
});
