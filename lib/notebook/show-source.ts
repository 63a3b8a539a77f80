// Prints the real source of lib code into a notebook, read from the file at run time.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { showMarkdown } from './display';
import { LIB } from './paths';

/**
 * Returns the source of the top-level declaration `name` in `lib/<file>` (with its doc comment),
 * or the whole file without `name`. A declaration runs from its line to the first `}` (or `};`)
 * at column 0, the layout every lib file keeps.
 * @throws Error when the file has no such declaration.
 */
export function sourceOf(file: string, name?: string): string {
  const text = readFileSync(path.join(LIB, file), 'utf8');
  if (name === undefined) return text.trimEnd();
  const lines = text.split('\n');
  const declaration = new RegExp(`^(export )?(default )?(async )?(function\\*? |class |const |let |interface |type |abstract class )${name}\\b`);
  const start = lines.findIndex((line) => declaration.test(line));
  if (start < 0) throw new Error(`lib/${file} declares no \`${name}\``);
  let first = start;
  while (first > 0 && /^(\/\*\*|\s\*|\/\/)/.test(lines[first - 1])) first--;
  const oneLine = /;\s*$/.test(lines[start]);
  const end = oneLine ? start : lines.findIndex((line, i) => i > start && /^\}/.test(line));
  return lines.slice(first, end + 1).join('\n');
}

/** Shows `sourceOf(file, name)` as a code block headed by its file name. */
export function showSource(file: string, name?: string): void {
  showMarkdown(`\`lib/${file}\`${name ? ` — \`${name}\`` : ''}\n\n\`\`\`ts\n${sourceOf(file, name)}\n\`\`\``);
}
