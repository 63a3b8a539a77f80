// The browser the browser tests drive: Debian's Chromium, installed with apt when it is missing
// and we are root (never downloaded by npm), driven by puppeteer-core.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { expect } from 'vitest';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL = 'apt-get install -y chromium';

const found = (): string | undefined => CANDIDATES.find((file) => existsSync(file));

/** The path of Chromium: CHROMIUM_PATH, else the apt package's, installed first when root can. */
export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH names ${given}, which does not exist`);
    return given;
  }
  const present = found();
  if (present !== undefined) return present;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (process.getuid?.() !== 0 || !hasApt) {
    throw new Error(`Chromium is missing: install it (as root: \`${INSTALL}\`) or set CHROMIUM_PATH`);
  }
  console.log(`browser test: installing Chromium: ${INSTALL}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  const installed = found();
  if (installed === undefined) throw new Error(`\`${INSTALL}\` ran but no chromium is on ${CANDIDATES.join(' or ')}`);
  return installed;
}

/** Starts headless Chromium (no sandbox when root, which Chromium requires). */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--window-size=1280,1000'],
    defaultViewport: { width: 1280, height: 1000 },
  });
}

/** A figure as the page draws it. */
export interface Figure {
  width: number;
  height: number;
  /** How many shapes and texts it holds (an emptied SVG still has a size). */
  shapes: number;
}

/** Every top-level inline SVG inside the elements `selector` matches, as drawn. */
export function figures(page: Page, selector: string): Promise<Figure[]> {
  return page.$$eval(`${selector} svg`, (svgs) =>
    svgs
      .filter((svg) => svg.parentElement?.closest('svg') === null)
      .map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, shapes: svg.querySelectorAll('rect, line, circle, ellipse, path, polyline, polygon, text').length };
      }),
  );
}

/** At least one figure, each drawn at a visible size, with something in it. */
export function expectDrawn(drawn: Figure[]): void {
  expect(drawn.length).toBeGreaterThan(0);
  for (const figure of drawn) {
    expect(figure.width * figure.height).toBeGreaterThan(0);
    expect(figure.shapes).toBeGreaterThan(0);
  }
}
