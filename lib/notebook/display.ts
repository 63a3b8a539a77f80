// Rich output in notebooks, plain text elsewhere (used by every chapter).
import { hideKernelFrames } from './stack';

// Every chapter imports this file: from then on, an error the
// kernel prints shows the learner's and lib's frames only (an interrupt's too).
hideKernelFrames();

type Kind = 'svg' | 'markdown' | 'html';

function tslabDisplay(kind: Kind, content: string): boolean {
  try {
    // Only inside a tslab kernel can this display anything; elsewhere it throws "Not ready".
    const { display } = require('tslab') as typeof import('tslab');
    display[kind](content);
    return true;
  } catch {
    return false;
  }
}

/** Shows an SVG figure in the notebook (outside a notebook: prints its size). */
export function showSvg(svg: string): void {
  if (!tslabDisplay('svg', svg)) console.log(`[figure: ${svg.length} bytes of SVG]`);
}

/** Shows Markdown in the notebook (outside a notebook: prints it). */
export function showMarkdown(markdown: string): void {
  if (!tslabDisplay('markdown', markdown)) console.log(markdown);
}

/** Shows a table of rows (first row: the header) as Markdown. */
export function showTable(rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  const [header, ...body] = rows.map((row) => `| ${row.join(' | ')} |`);
  const rule = `|${rows[0].map(() => '---').join('|')}|`;
  showMarkdown([header, rule, ...body].join('\n'));
}
