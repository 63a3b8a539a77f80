// Chapter 02 (closing notes): what one blocking call costs beside the network, its round trip to
// the I/O worker (tested in test/sockets/round-trip.test.ts).
import { IoChannel } from './io-channel';

/**
 * Warm-up calls before the clock starts: the worker's start, the compiler on both threads, both
 * sides' spin (a hundred, in a notebook's kernel, still left the clock to time a part of them).
 */
const WARM_UP = 2000;

/**
 * Times `calls` blocking calls that do nothing but cross to an I/O worker and back (a `ping`):
 * the part of every BlockingSocket call that is not the network. It runs on a worker of its own,
 * started before the clock starts and stopped before it returns, so the thread's own blocking
 * sockets are left alone. A thousand calls, after the warm-up, take well under a second.
 * @param calls - how many calls to time.
 * @param open - makes the channel to time (a test passes its own to watch it closed).
 * @returns the median round trip, in microseconds.
 * @throws TypeError when `calls` is not an integer >= 1.
 */
export async function measureBlockingRoundTrip(calls = 1000, open: () => IoChannel = () => new IoChannel(0)): Promise<number> {
  if (!(Number.isInteger(calls) && calls >= 1)) {
    throw new TypeError(`Expected \`calls\` to be an integer >= 1, got \`${String(calls)}\` (${typeof calls})`);
  }
  const channel = open();
  const times = new Float64Array(calls);
  try {
    for (let i = 0; i < WARM_UP; i++) channel.call('ping');
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      channel.call('ping');
      times[i] = (performance.now() - start) * 1000;
    }
  } finally {
    await channel.close();
  }
  times.sort();
  return times[Math.floor(calls / 2)];
}
