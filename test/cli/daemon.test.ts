// Loopback tests of lib/cli/fastpoetry.ts as a long-running service (chapter 16): --pidfile,
// --logfile, a graceful stop on SIGTERM or SIGINT, a second copy refused, a stale pidfile replaced.
// Every program started here is killed after each test.
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poem } from '../helpers/cli';
import { fetchAll } from '../helpers/net';
import { runCli, startServer, stopAll } from '../helpers/programs';

let dir: string;
let pidfile: string;
let logfile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fastpoetry-daemon-'));
  pidfile = path.join(dir, 'fastpoetry.pid');
  logfile = path.join(dir, 'fastpoetry.log');
});
afterEach(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const POEM = readFileSync(poem('science'));
const STAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const logLines = (): string[] => readFileSync(logfile, 'utf8').trimEnd().split('\n');

/** Polls `condition` every 20 ms; rejects after 10 s. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!condition()) throw new Error('condition not met within 10 s');
}

describe('lib/cli/fastpoetry.ts --pidfile --logfile', () => {
  it('writes its pid, logs a line per client, and on SIGTERM stops, removes the pidfile and exits 0', async () => {
    const server = await startServer('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
    expect(server.stdout()).toBe(`Serving ${poem('science')} on port ${server.port}.\n`);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${server.child.pid}\n`);
    for (let i = 0; i < 3; i++) expect((await fetchAll(server.port)).equals(POEM)).toBe(true);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    const lines = logLines();
    for (const line of lines) expect(line).toMatch(new RegExp(`^${STAMP} `));
    const sending = lines.filter((line) => / Sending \d+ bytes of poetry to /.test(line));
    expect(sending).toHaveLength(3);
    for (const line of sending) expect(line).toMatch(new RegExp(`^${STAMP} Sending ${POEM.length} bytes of poetry to 127\\.0\\.0\\.1:\\d+$`));
    expect(lines[0]).toMatch(new RegExp(`Serving .* on port ${server.port}, process ${server.child.pid}$`));
    expect(lines.slice(-2).map((line) => line.slice(25))).toEqual(['Received SIGTERM: finishing 0 poem(s) under way, then stopping', 'Server stopped']);
    expect(server.stderr()).toBe('');
  });

  it('stops the same way on SIGINT, and appends to an existing log', async () => {
    writeFileSync(logfile, 'an earlier run\n');
    const server = await startServer('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
    await fetchAll(server.port);
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    const lines = logLines();
    expect(lines[0]).toBe('an earlier run');
    expect(lines.filter((line) => line.includes(' Sending '))).toHaveLength(1);
    expect(lines.at(-2)).toContain('Received SIGINT');
  });

  it('refuses to start while the pidfile names a running server, and leaves that one alone', async () => {
    const first = await startServer('fastpoetry', ['--pidfile', pidfile, poem('science')]);
    const second = await runCli('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`fastpoetry.ts: another server is running, PID ${first.child.pid} (from pidfile ${pidfile})\n`);
    expect(second.stdout).toBe('');
    // It stopped before touching the log, and the first server still owns the pidfile and serves.
    expect(existsSync(logfile)).toBe(false);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${first.child.pid}\n`);
    expect((await fetchAll(first.port)).equals(POEM)).toBe(true);
  });

  it('replaces a stale pidfile left by a process that has gone, and logs it', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(pidfile, `${dead}\n`);
    const server = await startServer('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${server.child.pid}\n`);
    expect(logLines()[0]).toMatch(new RegExp(`^${STAMP} Removed stale pidfile ${pidfile} of process ${dead}$`));
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  it('after --grace seconds aborts a client that never reads, then removes the pidfile and exits 0', async () => {
    // A poem larger than the socket buffers on both sides, so the server cannot finish sending it.
    const big = path.join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(16 * 1024 * 1024, 'all work and no play\n'));
    const server = await startServer('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, '--grace', '0.5', big]);
    const client = net.connect({ host: '127.0.0.1', port: server.port });
    client.pause(); // never reads
    let received = 0;
    const clientClosed = new Promise<string>((resolve) => {
      client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      client.on('close', () => resolve('closed'));
    });
    await waitUntil(() => logLines().some((line) => line.includes(' Sending ')));
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    const lines = logLines().map((line) => line.slice(25));
    expect(lines.slice(-3)).toEqual([
      'Received SIGTERM: finishing 1 poem(s) under way, then stopping',
      'Aborted 1 connection(s) still open after 0.5 s',
      'Server stopped',
    ]);
    // The client, reading at last, finds the poem cut short.
    client.on('data', (chunk: Buffer) => (received += chunk.length));
    client.resume();
    await clientClosed;
    expect(received).toBeLessThan(16 * 1024 * 1024);
  });

  it('rejects a --grace that is negative, not a number or longer than a timer can hold', async () => {
    const runs = await Promise.all(['-1', 'soon', '2147484'].map((grace) => runCli('fastpoetry', ['--grace', grace, poem('science')])));
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs[0].stderr).toBe('fastpoetry.ts: error: --grace must be a number >= 0, got `-1`\n');
    expect(runs[1].stderr).toBe('fastpoetry.ts: error: --grace must be a number >= 0, got `soon`\n');
    expect(runs[2].stderr).toBe('fastpoetry.ts: error: --grace must be at most 2147483.647 seconds (about 24.8 days, what a timer can hold), got `2147484`\n');
  });

  it('reports a pidfile without a pid, an unwritable pidfile or log file, and a port in use with one line and exit 1', async () => {
    const garbage = path.join(dir, 'garbage.pid');
    writeFileSync(garbage, 'not a pid\n');
    const missing = path.join(dir, 'no', 'such');
    const running = await startServer('fastpoetry', [poem('science')]);
    const runs = await Promise.all([
      runCli('fastpoetry', ['--pidfile', garbage, poem('science')]),
      runCli('fastpoetry', ['--pidfile', path.join(missing, 'x.pid'), poem('science')]),
      runCli('fastpoetry', ['--pidfile', pidfile, '--logfile', path.join(missing, 'x.log'), poem('science')]),
      runCli('fastpoetry', ['--pidfile', path.join(dir, 'in-use.pid'), '--port', String(running.port), poem('science')]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1, 1]);
    for (const run of runs) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(runs[0].stderr).toBe(`fastpoetry.ts: pidfile ${garbage} contains no process id: \`not a pid\`\n`);
    expect(runs[1].stderr).toBe(`fastpoetry.ts: cannot write pidfile ${path.join(missing, 'x.pid')} (ENOENT)\n`);
    expect(runs[2].stderr).toBe(`fastpoetry.ts: cannot open log file ${path.join(missing, 'x.log')} (ENOENT)\n`);
    expect(runs[3].stderr).toMatch(/^fastpoetry\.ts: Couldn't listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
    // Those that claimed a pidfile before failing removed it again.
    expect(existsSync(pidfile)).toBe(false);
    expect(existsSync(path.join(dir, 'in-use.pid'))).toBe(false);
  });
});
