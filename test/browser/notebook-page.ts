// What a learner does in Jupyter Notebook 6's classic page (menus, dialogs, the code editor), and
// what the page then shows, read from the page itself.
// (The functions passed to page.evaluate run in the page: hence the DOM types.)
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'puppeteer-core';

/** One code cell as the page shows it. */
export interface ShownCell {
  prompt: string;
  source: string;
  stdout: string;
  stderr: string;
  /** Error outputs (a traceback box). */
  errors: number;
}

/** Writes numbered screenshots of each step into `folder`. */
export function screenshots(folder: string): (page: Page, step: string) => Promise<void> {
  mkdirSync(folder, { recursive: true });
  let count = 0;
  return async (page, step) => {
    count++;
    const file = path.join(folder, `${String(count).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  };
}

/**
 * Scrolls the first cell that printed on stderr into view (the notebook scrolls inside the page,
 * so a full-page screenshot shows only the part in view): the screenshot then shows the trouble.
 */
export async function showFirstStderr(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelector('.output_stderr')?.closest('.cell')?.scrollIntoView());
}

/** Opens a menu of the menu bar and clicks one of its items (ids as in notebook.html). */
export async function menu(page: Page, menuId: string, itemId: string): Promise<void> {
  // A tab in the background gets no animation frames, which puppeteer's waiting relies on.
  await page.bringToFront();
  await page.click(`#${menuId}`);
  await page.waitForSelector(`#${itemId} > a`, { visible: true });
  await page.click(`#${itemId} > a`);
}

/** Kernel > Restart & Run All, confirmed in the dialog. */
export async function restartAndRunAll(page: Page): Promise<void> {
  await menu(page, 'kernellink', 'restart_run_all');
  const confirm = await page.waitForSelector('.modal-footer ::-p-text(Restart and Run All Cells)', { visible: true });
  await confirm?.click();
  // The dialog fades out; the kernel shows busy while it restarts.
  await page.waitForSelector('.modal-dialog', { hidden: true });
}

/** Cell > Run All. */
export const runAll = (page: Page): Promise<void> => menu(page, 'celllink', 'run_all_cells');

/** Kernel > Interrupt. */
export const interrupt = (page: Page): Promise<void> => menu(page, 'kernellink', 'int_kernel');

/** True while the kernel is busy or a cell waits to run (`In [*]`). */
function busy(): boolean {
  const icon = document.querySelector('#kernel_indicator_icon');
  const prompts = [...document.querySelectorAll('.code_cell .input_prompt')].map((p) => p.textContent ?? '');
  return !icon?.classList.contains('kernel_idle_icon') || prompts.some((p) => p.includes('[*]'));
}

/** Waits until the kernel is idle and no cell is running or queued, for a second in a row. */
export async function waitIdle(page: Page, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let idleSince: number | undefined;
  while (Date.now() < deadline) {
    if (await page.evaluate(busy)) idleSince = undefined;
    else if (idleSince === undefined) idleSince = Date.now();
    else if (Date.now() - idleSince >= 1000) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the notebook was still busy after ${timeoutSeconds} s`);
}

/** Waits until some cell is running and has printed a line matching `pattern`. */
export async function waitForRunningOutput(page: Page, pattern: RegExp, timeoutSeconds: number): Promise<void> {
  await page.waitForFunction(
    (source: string, flags: string) =>
      [...document.querySelectorAll('.code_cell')].some(
        (cell) =>
          (cell.querySelector('.input_prompt')?.textContent ?? '').includes('[*]') &&
          new RegExp(source, flags).test(cell.querySelector('.output_stdout')?.textContent ?? ''),
      ),
    { timeout: timeoutSeconds * 1000, polling: 100 },
    pattern.source,
    pattern.flags,
  );
}

/** The code cells as shown now. */
export function codeCells(page: Page): Promise<ShownCell[]> {
  return page.$$eval('.cell.code_cell', (cells) =>
    cells.map((cell) => {
      // (No named functions in here: the page gets this function's source text.)
      const [stdout, stderr] = ['.output_stdout', '.output_stderr'].map((selector) =>
        [...cell.querySelectorAll(selector)].map((node) => (node as HTMLElement).innerText).join('\n'),
      );
      const editor = cell.querySelector('.CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
      return {
        prompt: cell.querySelector('.input_prompt')?.textContent?.trim() ?? '',
        source: editor?.CodeMirror?.getValue() ?? '',
        stdout,
        stderr,
        errors: cell.querySelectorAll('.output_error').length,
      };
    }),
  );
}

/**
 * Replaces the line of the first code cell (the parameters) that contains `marker` with
 * `replacement`, typing it as a learner does: click the line, select it, type.
 */
export async function editParameterLine(page: Page, marker: string, replacement: string): Promise<void> {
  const lines = (await (await page.$('.cell.code_cell'))?.$$('.CodeMirror-line')) ?? [];
  let target;
  for (const line of lines) if ((await line.evaluate((node) => node.textContent ?? '')).includes(marker)) target = line;
  if (target === undefined) throw new Error(`no line with ${marker} in the first code cell`);
  await target.click();
  await page.keyboard.press('End');
  await page.keyboard.down('Shift');
  await page.keyboard.press('Home');
  await page.keyboard.press('Home'); // the first Home stops at the indentation
  await page.keyboard.up('Shift');
  await page.keyboard.type(replacement);
  await page.keyboard.press('Escape'); // back to command mode
}
