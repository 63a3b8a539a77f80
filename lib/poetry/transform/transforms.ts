// Chapters 10 and 12: the poetry transforms, by name (tested in test/poetry/transform.test.ts).

/** A transform: a poem in, a poem out. The server's never throw. */
export type Transform = (poem: string) => string;

/**
 * The original's one transform: the poem in lower case, in the manner of E. E. Cummings.
 * @param poem - the poem.
 * @returns the poem, lowercased (Unicode-aware, so `É` becomes `é`; the ASCII poems of the
 *   course come out byte for byte as from the original server).
 */
export function cummingsify(poem: string): string {
  return poem.toLowerCase();
}

/**
 * The opposite of cummingsify: the poem in capitals.
 * @param poem - the poem.
 * @returns the poem, uppercased.
 */
export function shout(poem: string): string {
  return poem.toUpperCase();
}

/**
 * The poem's lines in reverse order, last line first. A final newline stays final, so a poem
 * that ended a line ends one still.
 * @param poem - the poem.
 * @returns the poem with its lines reversed.
 */
export function reverseLines(poem: string): string {
  const ending = poem.endsWith('\n') ? '\n' : '';
  const body = ending === '' ? poem : poem.slice(0, -1);
  return body.split('\n').reverse().join('\n') + ending;
}

/**
 * The transforms the server offers, by the name a request gives. A name never contains a '.',
 * since the request `name.poem` is split at its first one.
 */
export const TRANSFORMS: ReadonlyMap<string, Transform> = new Map<string, Transform>([
  ['cummingsify', cummingsify],
  ['shout', shout],
  ['reverse-lines', reverseLines],
]);
