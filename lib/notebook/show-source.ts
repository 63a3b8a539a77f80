// Prints the real source of lib code into a notebook, read from the file at run time.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { showMarkdown } from './display';
import { LIB, ROOT } from './paths';

/** Where a shown file lives: `test/...` and `scripts/...` from the project root, the rest from lib/. */
function locate(file: string): { path: string; label: string } {
  const fromRoot = /^(test|scripts)\//.test(file);
  return { path: path.join(fromRoot ? ROOT : LIB, file), label: fromRoot ? file : `lib/${file}` };
}

/**
 * Returns the source of the top-level declaration `name` in `lib/<file>` (`test/...` and
 * `scripts/...` are read from the project root) with its doc comment, or the whole file without
 * `name`. A declaration is a function, class, constant, interface or type, or a test file's
 * `describe('name', ...)` block; it runs from its line to the first `}` (or `});`) at column 0,
 * the layout every file here keeps.
 * @throws Error when the file has no such declaration.
 */
export function sourceOf(file: string, name?: string): string {
  const where = locate(file);
  const text = readFileSync(where.path, 'utf8');
  if (name === undefined) return text.trimEnd();
  const lines = text.split('\n');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const declaration = new RegExp(
    `^(export )?(default )?(async )?((function\\*? |class |const |let |interface |type |abstract class )${escaped}\\b|describe\\('${escaped}')`,
  );
  const start = lines.findIndex((line) => declaration.test(line));
  if (start < 0) throw new Error(`${where.label} declares no \`${name}\``);
  let first = start;
  while (first > 0 && /^(\/\*\*|\s\*|\/\/)/.test(lines[first - 1])) first--;
  const oneLine = /;\s*$/.test(lines[start]);
  const end = oneLine ? start : lines.findIndex((line, i) => i > start && /^\}/.test(line));
  return lines.slice(first, end + 1).join('\n');
}

/** Shows `sourceOf(file, name)` as a code block headed by its file name. */
export function showSource(file: string, name?: string): void {
  const { label } = locate(file);
  showMarkdown(`\`${label}\`${name ? ` — \`${name}\`` : ''}\n\n\`\`\`ts\n${sourceOf(file, name)}\n\`\`\``);
}
