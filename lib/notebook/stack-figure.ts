// Chapters 03 and 05: a call stack drawn as a pile of frames, from a real stack trace
// (tested in test/notebook/stack-figure.test.ts).
import { figureText } from '../timing/figure-text';
import { escapeXml, PALETTE } from '../timing/svg';

/** One frame of a stack: the function, and whose code it is. */
export interface StackFrame {
  name: string;
  /** `yours` (the notebook cell), `lib` (the course's library) or `node` (Node itself). */
  owner: 'yours' | 'lib' | 'node';
  /** Where it is: `cell:4:11`, `lib/reactor/base.js:57:42`. */
  where: string;
}

/** Reads the frames of a stack trace (as `trimStack` leaves it), innermost first. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:async )?(?:(.+?) \((.+)\)|(.+))$/.exec(line);
    if (match === null) continue;
    const where = match[2] ?? match[3];
    const name = match[1] ?? '(anonymous)';
    const owner = where.startsWith('cell') ? 'yours' : where.startsWith('lib/') ? 'lib' : 'node';
    frames.push({ name, owner, where });
  }
  return frames;
}

const COLORS = { yours: PALETTE[1], lib: PALETTE[0], node: '#999999' } as const;
const ROW = 26;
const WIDTH = 560;

/**
 * Draws `frames` as a pile, innermost on top, each box labelled with its function and where it
 * is, coloured by whose code it is: who called whom, read from the bottom up.
 */
export function renderStack(frames: readonly StackFrame[], title: string): string {
  const top = 30;
  const height = top + frames.length * ROW + 28;
  const boxes = frames.map((frame, i) => {
    const y = top + i * ROW;
    return [
      `<rect x="10" y="${y}" width="${WIDTH - 20}" height="${ROW - 4}" rx="3" fill="${COLORS[frame.owner]}" fill-opacity="0.85"/>`,
      `<text x="20" y="${y + 16}" fill="white" font-size="13" font-family="monospace">${escapeXml(frame.name)}</text>`,
      `<text x="${WIDTH - 20}" y="${y + 16}" fill="white" font-size="11" font-family="monospace" text-anchor="end">${escapeXml(frame.where)}</text>`,
    ].join('');
  });
  const legendY = height - 10;
  const legend = (['yours', 'lib', 'node'] as const).map(
    (owner, i) =>
      `<rect x="${10 + i * 150}" y="${legendY - 10}" width="12" height="12" fill="${COLORS[owner]}"/>` +
      `<text x="${28 + i * 150}" y="${legendY}" font-size="12" font-family="sans-serif">${escapeXml(figureText({ yours: 'your code (the cell)', lib: 'the library (lib/)', node: 'Node' }[owner]))}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-family="sans-serif" font-weight="bold">${escapeXml(figureText(title))}</text>`,
    ...boxes,
    ...legend,
    '</svg>',
  ].join('\n');
}
