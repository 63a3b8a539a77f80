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
 * the layout every file here keeps. `Class.member` names a method (or field, getter) of a
 * top-level class, private ones too (`Deferred.#runCallbacks`), indented by two spaces.
 * @throws Error when the file has no such declaration.
 */
export function sourceOf(file: string, name?: string): string {
  const where = locate(file);
  const text = readFileSync(where.path, 'utf8');
  if (name === undefined) return text.trimEnd();
  const lines = text.split('\n');
  const topLevel = (wanted: string) => {
    const escaped = escape(wanted);
    const declaration = new RegExp(
      `^(export )?(default )?(async )?((function\\*? |class |const |let |interface |type |abstract class )${escaped}\\b|describe\\('${escaped}')`,
    );
    return lines.findIndex((line) => declaration.test(line));
  };
  let start = topLevel(name);
  let indent = '';
  const dot = name.indexOf('.');
  if (start < 0 && dot > 0) {
    // `Class.member`: the member's line inside the class, two spaces in.
    const owner = topLevel(name.slice(0, dot));
    const ownerEnd = lines.findIndex((line, i) => i > owner && /^\}/.test(line));
    const modifiers = '((static|private|protected|public|readonly|async|get|set|override) )*';
    const member = new RegExp(`^  ${modifiers}${escape(name.slice(dot + 1))}\\b`);
    const at = owner < 0 ? -1 : lines.slice(owner, ownerEnd).findIndex((line) => member.test(line));
    start = at < 0 ? -1 : owner + at;
    indent = '  ';
  }
  if (start < 0) throw new Error(`${where.label} declares no \`${name}\``);
  let first = start;
  const comment = new RegExp(`^${indent}(\\/\\*\\*|\\s\\*|\\/\\/)`);
  while (first > 0 && comment.test(lines[first - 1])) first--;
  const oneLine = /;\s*$/.test(lines[start]);
  const close = new RegExp(`^${indent}\\}`);
  const end = oneLine ? start : lines.findIndex((line, i) => i > start && close.test(line));
  return lines
    .slice(first, end + 1)
    .map((line) => line.slice(indent.length))
    .join('\n');
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Shows `sourceOf(file, name)` as a code block headed by its file name. */
export function showSource(file: string, name?: string): void {
  const { label } = locate(file);
  showMarkdown(`\`${label}\`${name ? ` — \`${name}\`` : ''}\n\n\`\`\`ts\n${sourceOf(file, name)}\n\`\`\``);
}
