// Chapter 02: the blocking poetry client (tested in test/cli/get-poetry-blocking.test.ts).
import { type Address, BlockingSocket, formatAddress, SocketError } from '../sockets/index';
import { formatElapsed, type Seconds, type Timeline, wallSeconds } from '../timing/index';
import { type PoemLimits, poemFailedLine, poemLimits, PoemTooLongError } from './poem-limits';

/** Where a client prints, what it measures with, an optional record of its chunks, and its limits. */
export interface ClientOptions extends PoemLimits {
  log?: (line: string) => void;
  /** Where a failed poem is reported (default: console.error). */
  logError?: (line: string) => void;
  now?: Seconds;
  timeline?: Timeline;
}

/** What a client run got: the poems in task order, the time each took, and the total. */
export interface ClientResult {
  /** A failed poem's entry is empty. */
  poems: Buffer[];
  times: number[];
  elapsed: number;
  /** Why each poem failed, in task order; undefined where it arrived. */
  errors: Array<Error | undefined>;
}

/**
 * Downloads one poem: connects, reads until the server closes, and returns every byte. Blocks
 * the thread until then, or until `limits` say it has waited or taken enough.
 * @throws SocketError when the connection cannot be made or breaks, SocketTimeoutError after
 *   `limits.timeout` without a byte, PoemTooLongError past `limits.maxBytes`.
 */
export function getPoetry(address: Address, timeline?: Timeline, task = formatAddress(address), limits: PoemLimits = {}): Buffer {
  const { maxBytes, timeout } = poemLimits(limits);
  const sock = BlockingSocket.connect(...address, timeout);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const data = sock.recv(1024);
      if (data.length === 0) break;
      size += data.length;
      if (size > maxBytes) throw new PoemTooLongError(formatAddress(address), maxBytes);
      timeline?.chunk(task, data.length);
      chunks.push(data);
    }
  } finally {
    sock.close();
  }
  return Buffer.concat(chunks);
}

/**
 * Gets the poems one after another, printing as the original blocking client does. The total
 * is the sum of the tasks' times: nothing overlaps. A poem that fails is reported on `logError`
 * and the next one is fetched.
 * @throws TypeError when the limits are malformed.
 */
export function blockingClient(addresses: readonly Address[], options: ClientOptions = {}): ClientResult {
  const log = options.log ?? console.log;
  const logError = options.logError ?? console.error;
  const now = options.now ?? wallSeconds;
  const limits = poemLimits(options);
  const result: ClientResult = { poems: [], times: [], elapsed: 0, errors: [] };
  addresses.forEach((address, i) => {
    const task = `Task ${i + 1}`;
    const where = formatAddress(address);
    log(`${task}: get poetry from: ${where}`);
    const start = now();
    let poem = Buffer.alloc(0);
    let error: Error | undefined;
    try {
      poem = getPoetry(address, options.timeline, task, limits);
    } catch (caught) {
      if (!(caught instanceof SocketError || caught instanceof PoemTooLongError)) throw caught;
      error = caught;
      logError(poemFailedLine(where, caught.message));
    }
    const time = now() - start;
    if (error === undefined) log(`${task}: got ${poem.length} bytes of poetry from ${where} in ${formatElapsed(time)}`);
    result.poems.push(poem);
    result.times.push(time);
    result.errors.push(error);
    result.elapsed += time;
  });
  log(`Got ${result.errors.filter((error) => error === undefined).length} poems in ${formatElapsed(result.elapsed)}`);
  return result;
}
