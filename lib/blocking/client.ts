// Chapter 02: the blocking poetry client (tested in test/cli/get-poetry-blocking.test.ts).
import { type Address, BlockingSocket, formatAddress } from '../sockets/index';
import { formatElapsed, type Seconds, type Timeline, wallSeconds } from '../timing/index';

/** Where a client prints, what it measures with, and an optional record of its chunks. */
export interface ClientOptions {
  log?: (line: string) => void;
  now?: Seconds;
  timeline?: Timeline;
}

/** What a client run got: the poems in task order, the time each took, and the total. */
export interface ClientResult {
  poems: Buffer[];
  times: number[];
  elapsed: number;
}

/**
 * Downloads one poem: connects, reads until the server closes, and returns every byte. Blocks
 * the thread until then.
 * @throws SocketError when the connection cannot be made or breaks.
 */
export function getPoetry(address: Address, timeline?: Timeline, task = formatAddress(address)): Buffer {
  const sock = BlockingSocket.connect(...address);
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const data = sock.recv(1024);
      if (data.length === 0) break;
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
 * is the sum of the tasks' times: nothing overlaps.
 * @throws SocketError when a poem cannot be fetched.
 */
export function blockingClient(addresses: readonly Address[], options: ClientOptions = {}): ClientResult {
  const log = options.log ?? console.log;
  const now = options.now ?? wallSeconds;
  const result: ClientResult = { poems: [], times: [], elapsed: 0 };
  addresses.forEach((address, i) => {
    const task = `Task ${i + 1}`;
    const where = formatAddress(address);
    log(`${task}: get poetry from: ${where}`);
    const start = now();
    const poem = getPoetry(address, options.timeline, task);
    const time = now() - start;
    log(`${task}: got ${poem.length} bytes of poetry from ${where} in ${formatElapsed(time)}`);
    result.poems.push(poem);
    result.times.push(time);
    result.elapsed += time;
  });
  log(`Got ${addresses.length} poems in ${formatElapsed(result.elapsed)}`);
  return result;
}
