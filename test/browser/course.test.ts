// `npm run test:browser`: a learner's path through the course in a real Chromium. It starts the
// course as `npm start` does (on a copy of notebooks/), runs chapters 02 and 04 from the menus,
// edits a parameter, interrupts a run, quits Jupyter, and opens the book's chapter 02 page.
// Screenshots of every step go to test-results/browser/.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBook } from '../../scripts/book';
import { ROOT } from '../../scripts/jupyter-env';
import { FAST_ENV, STRAY_ERROR } from '../../scripts/notebooks';
import { expectDrawn, figures, launchChromium } from './chromium';
import { type Course, listeningPorts, processesOf, removeCopy, startCourse, stopCourse } from './course';
import { quoteOutput } from '../helpers/quote-output';
import {
  codeCells,
  editParameterLine,
  interrupt,
  menu,
  restartAndRunAll,
  runAll,
  screenshots,
  showFirstStderr,
  type ShownCell,
  waitForRunningOutput,
  waitIdle,
} from './notebook-page';

const RESULTS = path.join(ROOT, 'test-results', 'browser');
/** The delay the course is started with (CI's quick one), and the one typed into the cell. */
const STARTED_DELAY = Number(FAST_ENV.POETRY_DELAY);
const EDITED_DELAY = STARTED_DELAY / 2;
/** A client's total, as the chapters print it: `Got 3 poems in 0:00:09.412345`. */
const GOT_POEMS = /Got \d+ poems in (\d+):(\d\d):(\d\d(?:\.\d+)?)/g;

let browser: Browser;
let course: Course | undefined;
let tree: Page;
const pages = new Map<string, Page>();
rmSync(RESULTS, { recursive: true, force: true });
const shot = screenshots(RESULTS);

/** The totals (seconds) a chapter printed, in order. */
function totals(cells: ShownCell[]): number[] {
  return cells.flatMap((cell) => [...cell.stdout.matchAll(GOT_POEMS)].map((m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])));
}

/**
 * What tslab prints on a cell's stderr when the cell fails: a stack trace, a stray error, or a
 * compile error (`lib/sockets/blocking-socket.ts 18:99 - Type 'unknown' is not ...`).
 */
const FAILED = new RegExp(`${STRAY_ERROR.source}|^\\s+at .+:\\d+:\\d+\\)?$|^\\S+\\.tsx? \\d+:\\d+ - `, 'm');

/**
 * A chapter ran cleanly: every cell has run (a failed cell stops the ones queued after it) and
 * none shows an error box or an error on stderr.
 */
function expectClean(cells: ShownCell[]): void {
  for (const cell of cells) {
    const where = `cell "${cell.source.split('\n')[0]}" (${cell.prompt})`;
    expect(cell.errors, `${where} shows an error:\n${quoteOutput(cell.stderr)}`).toBe(0);
    expect(FAILED.test(cell.stderr), `${where} printed:\n${cell.stderr}`).toBe(false);
    if (cell.source.trim() !== '') expect(cell.prompt, `${where} has not run`).toMatch(/\[\d+\]/);
  }
}

/** Opens a chapter from the tree page (it opens in a new tab) and waits for its kernel. */
async function openChapter(nn: string): Promise<Page> {
  await tree.bringToFront();
  const link = `#notebook_list a.item_link[href*="/${nn}-"]`;
  await tree.waitForSelector(link, { visible: true });
  let page: Page | null = null;
  // The tree page refreshes its list every few seconds: a click can land on a replaced link.
  for (let attempt = 1; page === null && attempt <= 3; attempt++) {
    const opened = browser.waitForTarget((target) => target.opener() === tree.target() && target.url().includes(`/${nn}-`), { timeout: 10_000 });
    try {
      await tree.click(link);
      page = await (await opened).page();
    } catch (error) {
      await opened.catch(() => undefined);
      if (attempt === 3) throw error;
    }
  }
  if (page === null) throw new Error(`chapter ${nn} did not open`);
  await page.setViewport({ width: 1280, height: 1000 });
  // Closing a notebook with unsaved edits asks "Leave site?": the learner says yes.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 60_000 });
  pages.set(nn, page);
  return page;
}

/** The ports the chapters' programs listened on (they print `... on port 36767, ...`). */
const chapterPorts = new Set<number>();

/**
 * Runs a chapter as `start` does it (from a menu), waits until it is done, takes a screenshot and
 * checks it ran cleanly and drew its figures; returns its cells.
 */
async function runChapter(page: Page, start: (page: Page) => Promise<void>, step: string): Promise<ShownCell[]> {
  await start(page);
  await waitIdle(page, 120);
  await showFirstStderr(page);
  await shot(page, step);
  const cells = await codeCells(page);
  expectClean(cells);
  expectDrawn(await figures(page, '.output_area'));
  for (const cell of cells) for (const m of cell.stdout.matchAll(/ on port (\d+)/g)) chapterPorts.add(Number(m[1]));
  return cells;
}

beforeAll(async () => {
  browser = await launchChromium();
  course = await startCourse(FAST_ENV);
  tree = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  if (course !== undefined) {
    stopCourse(course);
    removeCopy(course);
  }
});

describe.sequential('the course in Chromium, as a learner uses it', () => {
  it('opens the tree page of the course that npm start serves', async () => {
    await tree.goto(course!.url);
    await tree.waitForSelector('#notebook_list a.item_link[href$=".ipynb"]');
    await shot(tree, 'tree');
    const names = await tree.$$eval('#notebook_list a.item_link', (links) => links.map((link) => link.textContent?.trim()));
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^02-.*\.ipynb$/), expect.stringMatching(/^04-.*\.ipynb$/)]));
  });

  let firstTotals: number[] = [];

  it('chapter 02: Kernel > Restart & Run All runs every cell, draws its figures, prints its timings', async () => {
    const page = await openChapter('02');
    await shot(page, 'chapter-02-opened');
    firstTotals = totals(await runChapter(page, restartAndRunAll, 'chapter-02-run'));
    expect(firstTotals.length).toBeGreaterThanOrEqual(2); // the blocking and the asynchronous client
  });

  it('chapter 02: a delay typed into the parameters cell changes the timings in proportion', async () => {
    const page = pages.get('02')!;
    const [parameters] = await codeCells(page);
    const name = /const\s+(\w+)\s*=.*POETRY_DELAY/.exec(parameters.source)?.[1];
    expect(name, `a const read from POETRY_DELAY in:\n${parameters.source}`).toBeDefined();
    await editParameterLine(page, 'POETRY_DELAY', `const ${name} = ${EDITED_DELAY}; // typed in the browser`);
    await shot(page, 'chapter-02-edited');
    expect((await codeCells(page))[0].source).toContain(`const ${name} = ${EDITED_DELAY};`);
    const again = totals(await runChapter(page, runAll, 'chapter-02-rerun'));
    expect(again.length).toBe(firstTotals.length);
    // Half the delay, about half the time: wide margins for a busy machine.
    const expected = STARTED_DELAY / EDITED_DELAY;
    again.forEach((total, i) => {
      const ratio = firstTotals[i] / total;
      expect(ratio, `total ${i}: ${firstTotals[i]} s then ${total} s`).toBeGreaterThan(expected * 0.6);
      expect(ratio, `total ${i}: ${firstTotals[i]} s then ${total} s`).toBeLessThan(expected * 1.6);
    });
  });

  it('chapter 02: an interrupted run can be run again without restarting the kernel', async () => {
    const page = pages.get('02')!;
    await runAll(page);
    // Interrupt the blocking client half-way through its poems.
    await waitForRunningOutput(page, /Task 1: got \d+ bytes/, 60);
    await interrupt(page);
    await waitIdle(page, 60);
    await showFirstStderr(page);
    await shot(page, 'chapter-02-interrupted');
    const interrupted = await codeCells(page);
    expect(interrupted.some((cell) => /interrupted/i.test(cell.stderr)), 'a cell says it was interrupted').toBe(true);
    expect(interrupted.some((cell) => /\[\s*\]/.test(cell.prompt)), 'the cells after it did not run').toBe(true);
    const cells = await runChapter(page, runAll, 'chapter-02-after-interrupt');
    expect(totals(cells).length).toBe(firstTotals.length);
  });

  it('chapter 04: Kernel > Restart & Run All runs every cell, draws its figures, prints its timings', async () => {
    const page = await openChapter('04');
    const cells = await runChapter(page, restartAndRunAll, 'chapter-04-run');
    expect(totals(cells).length).toBeGreaterThan(0);
  });

  it('File > Close and Halt, then Quit: nothing the course started is left running', async () => {
    const running = processesOf(course!);
    // The check can fail: while Jupyter runs, it sees npm start, Jupyter and the kernels.
    expect(running.some((p) => p.command.includes('tslab'))).toBe(true);
    expect(chapterPorts.size).toBeGreaterThan(0);
    for (const page of pages.values()) {
      const closed = new Promise((resolve) => page.once('close', resolve));
      await menu(page, 'filelink', 'close_and_halt');
      // It shuts the kernel down, then closes the tab when the browser lets a page close itself.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (!page.isClosed()) await page.close();
    }
    await tree.bringToFront();
    await tree.reload();
    await tree.waitForSelector('#shutdown', { visible: true });
    await shot(tree, 'tree-before-quit');
    const exited = new Promise<number | null>((resolve) => course!.process.once('exit', (code) => resolve(code)));
    await tree.click('#shutdown');
    await shot(tree, 'quit');
    expect(await exited).toBe(0);
    // Give orphans a moment to be noticed; a program still running after 10 s is a leak.
    const deadline = Date.now() + 10_000;
    let left = processesOf(course!);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = processesOf(course!);
    }
    expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
    const listening = listeningPorts();
    expect([course!.port, ...chapterPorts].filter((port) => listening.has(port))).toEqual([]);
  });

  it("the book's chapter 02 page shows its figures", async () => {
    const site = path.join(ROOT, 'site');
    const built = await buildBook({ out: site });
    const chapter = built.find((page) => page.language === 'en' && page.page.startsWith('02-'));
    expect(chapter).toBeDefined();
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(site, chapter!.page)).href);
    await shot(page, 'book-chapter-02');
    expectDrawn(await figures(page, '.jp-OutputArea-output'));
  });
});
