// `npm run test:zh` (CI runs it after `npm test`): executes the Chinese chapters that show their
// own run (the ones that draw figures, see scripts/translations.ts) from notebooks/zh, at the fast
// parameters, and checks that their figures are drawn with the Chinese of translations/zh/strings.md.
// The other Chinese chapters have the English code cells byte for byte (npm run check:translations).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTEBOOKS } from '../../scripts/jupyter-env';
import { describeFailure, FAST_ENV, runNotebook } from '../../scripts/notebooks';
import { englishFigureText, runsInZh } from '../../scripts/translations';
import { quoteOutput } from '../helpers/quote-output';

const chapters = readdirSync(NOTEBOOKS)
  .filter((file) => /^\d\d-.*\.ipynb$/.test(file))
  .sort()
  .map((file) => file.replace(/\.ipynb$/, ''))
  .filter((name) => runsInZh(name, JSON.parse(readFileSync(path.join(NOTEBOOKS, `${name}.ipynb`), 'utf8'))));

describe.each(chapters)('zh/%s', (name) => {
  it('runs every cell from notebooks/zh without an error, with its figures in Chinese', async () => {
    const file = path.join(NOTEBOOKS, 'zh', `${name}.ipynb`);
    expect(existsSync(file), `notebooks/zh/${name}.ipynb: run \`npm run translations\``).toBe(true);
    const run = await runNotebook(file, { env: FAST_ENV });
    expect(run.ok, quoteOutput(describeFailure(run))).toBe(true);
    const cells = (run.notebook as { cells: Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }> }).cells;
    const svgs = cells.flatMap((cell) => cell.outputs ?? []).map((output) => JSON.stringify(output.data?.['image/svg+xml'] ?? '')).join('\n');
    expect(englishFigureText(svgs), 'a figure text drawn in English (is its strings.md entry right?)').toBeUndefined();
  });
});
