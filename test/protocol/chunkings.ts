// Helpers for the protocol tests: every way to cut a byte stream into reads. A protocol must
// deliver the same messages however its input is cut (IProtocol's testing advice).

/** A pseudo-random generator (mulberry32) with a fixed seed, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Cut `data` into pieces of 1 to `maxChunk` bytes, at places drawn from `seed` (lazily: a
 * megabyte cut byte by byte is not a million buffers held at once).
 * @returns the pieces, in order; joined they are `data`.
 */
export function* randomChunks(data: Buffer, seed: number, maxChunk: number): Generator<Buffer> {
  const random = seededRandom(seed);
  for (let offset = 0; offset < data.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

/** Cut `data` into pieces of `size` bytes (the last may be shorter), lazily. */
export function* fixedChunks(data: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

/**
 * The ways to cut `data` that the protocol tests feed: whole, one byte at a time, and random
 * cuttings (small pieces and larger ones) from fixed seeds. Each iterable can be read once.
 * @returns `[name, chunks]` pairs, for `it.each` or a loop.
 */
export function chunkings(data: Buffer | string, seed = 20240611): [name: string, chunks: Iterable<Buffer>][] {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return [
    ['whole', [bytes]],
    ['byte by byte', fixedChunks(bytes, 1)],
    ['random pieces of 1-3 bytes', randomChunks(bytes, seed, 3)],
    ['random pieces of 1-7 bytes', randomChunks(bytes, seed + 1, 7)],
    ['random pieces of 1-64 bytes', randomChunks(bytes, seed + 2, 64)],
    ['random pieces up to a third', randomChunks(bytes, seed + 3, Math.max(1, Math.ceil(bytes.length / 3)))],
  ];
}

/** The names of `chunkings`, for `describe.each`/`it.each` titles. */
export const CHUNKING_NAMES = chunkings('').map(([name]) => name);

/**
 * One of the `chunkings` of `data`, by name.
 * @throws Error for an unknown name.
 */
export function cut(data: Buffer | string, name: string): Iterable<Buffer> {
  const found = chunkings(data).find(([candidate]) => candidate === name);
  if (found === undefined) throw new Error(`No chunking named ${name}`);
  return found[1];
}
