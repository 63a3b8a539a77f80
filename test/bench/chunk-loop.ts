// Chapter 02's blocking server loop, one chunk at a time, with each step timed: run by
// poetry-clients.bench.ts beside the same loop in Python, to show where a chunk's time goes.
//   node --import tsx test/bench/chunk-loop.ts PORT DELAY CHUNKS
// Connects to PORT (a reader that discards what it gets), then CHUNKS times: prints the
// original's progress line, sends 30 bytes with sendall, sleeps DELAY seconds. Prints on stderr
// one JSON line: the median microseconds of each step, the sleep's lateness beyond DELAY.
import { BlockingSocket, sleep, startIoWorker } from '../../lib/sockets/index';

const [port, delay, chunks] = process.argv.slice(2).map(Number);
startIoWorker();
const sock = BlockingSocket.connect('127.0.0.1', port);
const chunk = Buffer.alloc(30, 'x');
const steps = { print: [] as number[], sendall: [] as number[], late: [] as number[] };
for (let i = 0; i < chunks; i++) {
  const start = performance.now();
  console.log(`Sending ${chunk.length} bytes`);
  const printed = performance.now();
  sock.sendall(chunk);
  const sent = performance.now();
  sleep(delay);
  steps.print.push(printed - start);
  steps.sendall.push(sent - printed);
  steps.late.push(performance.now() - sent - delay * 1000);
}
sock.close();
const median = (ms: number[]): number => ms.sort((a, b) => a - b)[ms.length >> 1] * 1000;
console.error(JSON.stringify({ print: median(steps.print), sendall: median(steps.sendall), late: median(steps.late) }));
