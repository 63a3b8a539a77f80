// The project's folders, found from this file (notebooks reach lib through a symlink).
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

/** The real lib/ folder, whichever way this module was reached. */
export const LIB = path.resolve(realpathSync(__dirname), '..');
/** The project root. */
export const ROOT = path.resolve(LIB, '..');
/** The poems. */
export const POETRY = path.join(ROOT, 'poetry');

/** The path of a poem in poetry/ (`poemPath('ecstasy')`). */
export function poemPath(name: string): string {
  return path.join(POETRY, name.endsWith('.txt') ? name : `${name}.txt`);
}
