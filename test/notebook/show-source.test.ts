import { describe, expect, it } from 'vitest';
import { sourceOf } from '../../lib/notebook/show-source';

describe('sourceOf', () => {
  it('returns a top-level function with its doc comment, up to its closing brace', () => {
    const source = sourceOf('timing/format-elapsed.ts', 'formatElapsed');
    expect(source.startsWith('/**\n * Formats a duration')).toBe(true);
    expect(source).toContain('export function formatElapsed(seconds: number): string {');
    expect(source.endsWith('\n}')).toBe(true);
    expect(source).not.toContain('function pad');
  });

  it("returns a test file's describe block, read from the project root", () => {
    const source = sourceOf('test/notebook/show-source.test.ts', 'sourceOf');
    expect(source.startsWith("describe('sourceOf', () => {")).toBe(true);
    expect(source.endsWith('});')).toBe(true);
  });

  it('returns a whole file without a name, and throws for a name it does not declare', () => {
    expect(sourceOf('sockets/index.ts')).toContain("export { sleep } from './sleep';");
    expect(() => sourceOf('sockets/sleep.ts', 'nothingHere')).toThrow('lib/sockets/sleep.ts declares no `nothingHere`');
  });
});

describe('sourceOf with Class.member', () => {
  it("returns a class's method, private ones too, with its doc comment and without the class's indent", () => {
    const source = sourceOf('defer/deferred.ts', 'Deferred.#runCallbacks');
    expect(source.startsWith('/**\n * Run the steps that are due')).toBe(true);
    expect(source).toContain('#runCallbacks(): void {\n  if (this.#running) return;');
    expect(source.endsWith('\n}')).toBe(true);
    expect(source).not.toContain('#waitOn(inner: Deferred): boolean {');
  });

  it('throws for a member the class does not have', () => {
    expect(() => sourceOf('defer/deferred.ts', 'Deferred.#nothingHere')).toThrow(
      'lib/defer/deferred.ts declares no `Deferred.#nothingHere`',
    );
  });
});
