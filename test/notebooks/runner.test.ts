// The notebook runner itself: it must fail on an error thrown outside a cell's own code.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure, runNotebook } from '../../scripts/notebooks';

describe('runNotebook', () => {
  it('fails a cell whose timer callback throws, and shows its source and stderr', async () => {
    const run = await runNotebook(path.join(__dirname, '..', 'fixtures', 'stray-error.ipynb'), {
      env: { FIXTURE_LABEL: 'runner test' },
    });
    expect(run.ok).toBe(false);
    expect(run.failed?.index).toBe(2);
    expect(run.cells[0].stdout).toBe('first cell of the runner test\n');
    const report = describeFailure(run);
    expect(report).toContain('stray-error: cell 2 failed');
    expect(report).toContain("throw new Error('thrown from a timer');");
    expect(report).toMatch(/UncaughtException: Error: thrown from a timer/);
  });
});
