// What the tests of the programs share: the poems in poetry/ and how the programs print.
// (test/helpers/programs.ts runs the programs themselves.)
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const poem = (name: string): string => path.join(ROOT, 'poetry', `${name}.txt`);

/** The bytes of a poem in poetry/. */
export const poemBytes = (name: string): Buffer => readFileSync(poem(name));

/** An elapsed time as the programs print it (Python's timedelta: `0:00:10.126361`), for RegExps. */
export const ELAPSED = String.raw`\d+:\d\d:\d\d(\.\d{6})?`;

/** Collects what a client prints on its `log` and `logError`. */
export function printed(): { lines: string[]; errors: string[]; log: (line: string) => void; logError: (line: string) => void } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, log: (line) => lines.push(line), logError: (line) => errors.push(line) };
}
