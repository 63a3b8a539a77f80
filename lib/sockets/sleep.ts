// Chapter 02: a sleep that blocks the thread, as Python's time.sleep does
// (tested in test/sockets/blocking-socket.test.ts).

const parked = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `seconds`: no timer, I/O callback or promise of this thread
 * runs meanwhile.
 * @throws TypeError when `seconds` is not a number >= 0.
 */
export function sleep(seconds: number): void {
  if (typeof seconds !== 'number' || !(seconds >= 0)) {
    throw new TypeError(`Expected \`seconds\` to be a number >= 0, got \`${seconds}\` (${typeof seconds})`);
  }
  Atomics.wait(parked, 0, 0, seconds * 1000);
}
