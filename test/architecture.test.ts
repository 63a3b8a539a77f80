// The house rules of docs/architecture.md, checked on lib/'s imports: no import cycle, no
// upward import between floors, no lib file over 400 lines, lib/index.ts only re-exports.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const LIB = path.resolve(__dirname, '..', 'lib');

// The floors, lowest first: a folder may import its own files and those of lower floors only.
// The notebook helpers and the command-line programs are on top: nothing in lib/ builds on them.
const FLOOR: Record<string, number> = {
  log: 0,
  time: 0,
  timing: 0,
  sockets: 1,
  defer: 1,
  blocking: 2,
  models: 2,
  select: 3,
  reactor: 4,
  protocol: 5,
  application: 6,
  poetry: 7,
  notebook: 8,
  cli: 8,
  '.': 9, // lib/index.ts
};
// Stricter than its floor: the Deferred builds on nothing but the log and the time contract.
const ONLY: Record<string, readonly string[]> = { defer: ['defer', 'log', 'time'] };
const MAX_LINES = 400;

function libFiles(dir = LIB): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** The lib files `file` imports (import, export ... from, require, import()), resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (match) => match[1],
  );
  return specifiers.map((specifier) => {
    const base = path.resolve(path.dirname(file), specifier);
    const found = [base, `${base}.ts`, `${base}.js`].find((candidate) => /\.(ts|js)$/.test(candidate) && files.has(candidate));
    if (found === undefined) throw new Error(`${path.relative(LIB, file)} imports ${specifier}, which is no lib file`);
    return found;
  });
}

function folderOf(file: string): string {
  const relative = path.relative(LIB, file);
  return relative.includes(path.sep) ? relative.split(path.sep)[0] : '.';
}

const files = new Set(libFiles());
const graph = new Map([...files].map((file) => [file, importsOf(file)]));
const name = (file: string) => `lib/${path.relative(LIB, file)}`;

describe('lib/ imports', () => {
  it('give every folder a floor', () => {
    const folders = new Set([...files].map(folderOf));
    expect([...folders].filter((folder) => FLOOR[folder] === undefined)).toEqual([]);
  });

  it('never go up a floor, nor sideways to another folder on the same floor', () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      for (const target of imports) {
        const to = folderOf(target);
        const allowed = to === from || (FLOOR[to] < FLOOR[from] && (ONLY[from]?.includes(to) ?? true));
        if (!allowed) wrong.push(`${name(file)} -> ${name(target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('have no cycle, between files (type-only imports count too)', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'visiting') cycles.push([...stack.slice(stack.indexOf(target)), target].map(name).join(' -> '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});

describe('lib/ files', () => {
  it(`are at most ${MAX_LINES} lines long`, () => {
    const long = [...files]
      .map((file) => [name(file), readFileSync(file, 'utf8').trimEnd().split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('lib/index.ts only re-exports whole folders', () => {
    const lines = readFileSync(path.join(LIB, 'index.ts'), 'utf8').split('\n');
    const code = lines.filter((line) => line.trim() !== '' && !line.startsWith('//'));
    expect(code.filter((line) => !/^export \* from '\.\/[a-z-]+\/index';$/.test(line))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find the imports of a file, type-only and re-exports included', () => {
    const imports = importsOf(path.join(LIB, 'reactor', 'index.ts')).map(name);
    expect(imports).toContain('lib/reactor/interfaces.ts');
    expect(imports).toContain('lib/reactor/connection.ts');
    expect(importsOf(path.join(LIB, 'defer', 'deferred.ts')).map(name)).toContain('lib/time/index.ts');
  });
});
