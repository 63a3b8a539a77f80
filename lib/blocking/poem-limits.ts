// Chapter 02 and every later poetry client: how much a client takes for one poem and how long it
// waits (tested in test/cli/clients.test.ts, test/poetry/tested-poetry.test.ts, test/faults/clients.test.ts).
import { checkTimeout } from '../sockets/blocking-socket';

/** Bytes a client accepts per poem unless told otherwise: 16 MiB, far more than any poem here. */
export const MAX_BYTES = 16 * 1024 * 1024;

/**
 * What a poetry client bounds. A server that sends forever must not grow its memory without
 * end, and one that never sends must not keep it waiting forever.
 */
export interface PoemLimits {
  /** Bytes accepted per poem; one more fails the poem with PoemTooLongError (default MAX_BYTES). */
  maxBytes?: number;
  /**
   * Seconds to wait for the connection, then for each next byte; longer fails the poem with a
   * timeout error (default: no limit, as the original clients).
   */
  timeout?: number | null;
}

/** A server sent more than the client accepts for one poem: the poem fails and its connection is closed. */
export class PoemTooLongError extends Error {
  override name = 'PoemTooLongError';

  constructor(
    readonly peer: string,
    readonly maxBytes: number,
  ) {
    super(`${peer} sent more than ${maxBytes} bytes`);
  }
}

/**
 * The limits with their defaults filled in.
 * @throws TypeError unless `maxBytes` is an integer >= 1 and `timeout` a number > 0 or null.
 */
export function poemLimits(limits: PoemLimits = {}): { maxBytes: number; timeout: number | null } {
  const { maxBytes = MAX_BYTES, timeout = null } = limits;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 1)) {
    throw new TypeError(`Expected \`maxBytes\` to be an integer >= 1, got \`${maxBytes}\` (${typeof maxBytes})`);
  }
  return { maxBytes, timeout: checkTimeout(timeout, 'timeout') };
}

/** The line a client prints on stderr when a poem fails, naming the server if `why` does not. */
export function poemFailedLine(where: string, why: string): string {
  return `Poem failed: ${why.includes(where) ? '' : `${where}: `}${why}`;
}
