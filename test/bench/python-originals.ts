// Chapter 02's programs as the original writes them in Python (blocking server, blocking client,
// select-loop client), the peers of poetry-clients.bench.ts, and the floor of a blocking send that
// crosses to another thread in Node. Our own code, the original's loops and calls.

/**
 * One Python 3 script, the first argument saying which program:
 *   serve POEM DELAY NUM_BYTES   the blocking slow server (prints `Serving POEM on port P.`)
 *   blocking PORT...             the blocking client: each poem in turn
 *   async PORT...                the select-loop client: all poems at once
 *   chunks PORT DELAY CHUNKS     the server's loop with each step timed, as test/bench/chunk-loop.ts
 * The clients print on stdout, and `chunks` on stderr, one JSON line of what they measured.
 */
export const PYTHON_ORIGINALS = `
import json, select, socket, sys, time

def serve(path, delay, num_bytes):
    poem = open(path, 'rb').read()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', 0))
    listener.listen(5)
    print('Serving %s on port %d.' % (path, listener.getsockname()[1]))
    while True:
        sock, addr = listener.accept()
        print('Somebody at %s wants poetry!' % (addr,))
        for offset in range(0, len(poem), num_bytes):
            chunk = poem[offset:offset + num_bytes]
            print('Sending %d bytes' % len(chunk))
            try:
                sock.sendall(chunk)
            except socket.error:
                break
            time.sleep(delay)
        sock.close()

def blocking(ports):
    start = time.time()
    for port in ports:
        sock = socket.create_connection(('127.0.0.1', port))
        poem = b''
        while True:
            data = sock.recv(1024)
            if not data:
                break
            poem += data
        sock.close()
    return time.time() - start

def select_loop(ports):
    start = time.time()
    socks = [socket.create_connection(('127.0.0.1', port)) for port in ports]
    for sock in socks:
        sock.setblocking(0)
    poems = dict((sock, b'') for sock in socks)
    while socks:
        ready, _, _ = select.select(socks, [], [])
        for sock in ready:
            data = sock.recv(1024)
            if data:
                poems[sock] += data
            else:
                socks.remove(sock)
                sock.close()
    return time.time() - start

def chunks(port, delay, count):
    sock = socket.create_connection(('127.0.0.1', port))
    steps = {'print': [], 'sendall': [], 'late': []}
    chunk = b'x' * 30
    for _ in range(count):
        start = time.perf_counter()
        print('Sending %d bytes' % len(chunk))
        printed = time.perf_counter()
        sock.sendall(chunk)
        sent = time.perf_counter()
        time.sleep(delay)
        steps['print'].append(printed - start)
        steps['sendall'].append(sent - printed)
        steps['late'].append(time.perf_counter() - sent - delay)
    sock.close()
    median = lambda xs: sorted(xs)[len(xs) // 2] * 1e6
    sys.stderr.write(json.dumps(dict((k, median(v)) for k, v in steps.items())) + '\\n')

mode, args = sys.argv[1], sys.argv[2:]
if mode == 'serve':
    serve(args[0], float(args[1]), int(args[2]))
elif mode == 'chunks':
    chunks(int(args[0]), float(args[1]), int(args[2]))
else:
    elapsed = (blocking if mode == 'blocking' else select_loop)([int(p) for p in args])
    print(json.dumps({'elapsed': elapsed}))
`;

/**
 * The same loop as chunk-loop.ts with the least a blocking send across threads can cost in Node:
 * the socket lives on a worker thread that never sleeps (it checks a shared flag in a loop, a
 * core's worth of CPU) and writes the 30 bytes with net.Socket.write as soon as the flag says so;
 * no message format, the caller checking for the answer without sleeping. Not a design to use:
 * the floor under ours, for the benchmark's table.
 *   node -e FLOOR_LOOP -- PORT DELAY CHUNKS
 */
export const FLOOR_LOOP = `
const { Worker } = require('node:worker_threads');
const [port, delay, chunks] = process.argv.slice(1).map(Number);
const flags = new Int32Array(new SharedArrayBuffer(8));
const worker = new Worker(\`
  const { workerData, parentPort } = require('node:worker_threads');
  const flags = new Int32Array(workerData.flags);
  const chunk = Buffer.alloc(30, 'x');
  const socket = require('node:net').connect(workerData.port, '127.0.0.1', () => {
    parentPort.postMessage('connected');
    const spin = () => {
      const until = performance.now() + 5;
      while (performance.now() < until) {
        if (Atomics.load(flags, 0) === 1) {
          Atomics.store(flags, 0, 0);
          socket.write(chunk);
          Atomics.store(flags, 1, 1);
        }
      }
      setImmediate(spin);
    };
    spin();
  });
\`, { eval: true, workerData: { flags: flags.buffer, port } });
worker.once('message', () => {
  const parked = new Int32Array(new SharedArrayBuffer(4));
  const steps = { print: [], sendall: [], late: [] };
  for (let i = 0; i < chunks; i++) {
    const start = performance.now();
    console.log('Sending 30 bytes');
    const printed = performance.now();
    Atomics.store(flags, 1, 0);
    Atomics.store(flags, 0, 1);
    while (Atomics.load(flags, 1) !== 1);
    const sent = performance.now();
    Atomics.wait(parked, 0, 0, delay * 1000);
    steps.print.push(printed - start);
    steps.sendall.push(sent - printed);
    steps.late.push(performance.now() - sent - delay * 1000);
  }
  const median = (ms) => ms.sort((a, b) => a - b)[ms.length >> 1] * 1000;
  console.error(JSON.stringify({ print: median(steps.print), sendall: median(steps.sendall), late: median(steps.late) }));
  process.exit(0);
});
`;
