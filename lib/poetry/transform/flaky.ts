// Chapter 10: the client-side cummingsify of clients 5.0 and 5.1, which fails at random, from a
// seed (tested in test/poetry/transform.test.ts).
import { cummingsify } from './transforms';

/** The poem came back as gibberish: the flaky cummingsify's first way to fail (both versions). */
export class GibberishError extends Error {
  override name = 'GibberishError';
  constructor() {
    super('the poem came out as gibberish');
  }
}

/**
 * A bug in client 5.0's cummingsify: stands in for Python's ValueError, an error nobody raised
 * on purpose.
 */
export class ValueError extends Error {
  override name = 'ValueError';
  constructor() {
    super('cummingsify hit a bug');
  }
}

/** Client 5.1's cummingsify could not do its job; it hands the poem back with the error. */
export class CannotCummingsify extends Error {
  override name = 'CannotCummingsify';
  /** The untransformed poem, for an errback to fall back to (the original's `args[0]`). */
  readonly poem: string;
  constructor(poem: string) {
    super('cannot cummingsify the poem');
    this.poem = poem;
  }
}

/** What one call of a flaky cummingsify did. */
export type FlakyOutcome = 'success' | 'gibberish' | 'bug';

/** Options of `new FlakyCummingsify()`. */
export interface FlakyCummingsifyOptions {
  /** The seed of the random choices: the same seed makes the same choices, call after call. */
  seed: number;
  /** Which error the bug throws: `ValueError` as in client 5.0, or `CannotCummingsify` as in 5.1 (the default). */
  bug?: 'ValueError' | 'CannotCummingsify';
}

const OUTCOMES: readonly FlakyOutcome[] = ['success', 'gibberish', 'bug'];

/**
 * The original client's `cummingsify`, which picks at random, with equal odds, one of: return
 * the poem lowercased, throw a `GibberishError`, or throw its bug (`ValueError` in 5.0,
 * `CannotCummingsify` carrying the poem in 5.1). Python's `random.choice` becomes a small
 * generator with an explicit seed, so a run can be repeated exactly: the n-th call of two
 * instances with the same seed does the same thing.
 */
export class FlakyCummingsify {
  /** The seed it was made with. */
  readonly seed: number;
  /** What each call did, in order (for tests and notebooks). */
  readonly outcomes: FlakyOutcome[] = [];
  readonly #random: () => number;
  readonly #bug: 'ValueError' | 'CannotCummingsify';

  /**
   * @param options - the seed, and which error the bug throws.
   * @throws TypeError when the seed is not an integer.
   */
  constructor(options: FlakyCummingsifyOptions) {
    const { seed, bug = 'CannotCummingsify' } = options;
    if (!Number.isInteger(seed)) {
      throw new TypeError(`Expected \`seed\` to be an integer, got \`${String(seed)}\` (${typeof seed})`);
    }
    this.seed = seed;
    this.#random = splitMix32(seed);
    this.#bug = bug;
  }

  /**
   * Cummingsify the poem, or fail: see the class. An arrow function, so it can be passed as a
   * callback as it is (`d.addCallback(flaky.cummingsify)`).
   * @param poem - the poem.
   * @returns the poem, lowercased.
   * @throws GibberishError, or ValueError / CannotCummingsify (the bug), as the seed decides.
   */
  readonly cummingsify = (poem: string): string => {
    const outcome = OUTCOMES[Math.floor(this.#random() * OUTCOMES.length)];
    this.outcomes.push(outcome);
    if (outcome === 'gibberish') throw new GibberishError();
    if (outcome === 'bug') throw this.#bug === 'ValueError' ? new ValueError() : new CannotCummingsify(poem);
    return cummingsify(poem);
  };
}

/**
 * A seeded pseudo-random generator (SplitMix32): numbers in [0, 1). Its state advances by a
 * constant and is then hashed, so nearby seeds (`seed`, `seed + 1`) give unrelated sequences.
 */
export function splitMix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}
