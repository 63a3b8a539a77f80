// Loopback tests of lib/cli/fastpoetry.ts as a long-running service (chapter 16): --pidfile,
// --logfile, a graceful stop on SIGTERM or SIGINT, a second copy refused, a stale pidfile replaced.
// Every program started here is killed after each test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poem, runCli } from '../helpers/cli';
import { fetchAll } from '../helpers/net';
import { killServices, startService } from '../helpers/service';

let dir: string;
let pidfile: string;
let logfile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fastpoetry-daemon-'));
  pidfile = path.join(dir, 'fastpoetry.pid');
  logfile = path.join(dir, 'fastpoetry.log');
});
afterEach(async () => {
  await killServices();
  rmSync(dir, { recursive: true, force: true });
});

const POEM = readFileSync(poem('science'));
const STAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const logLines = (): string[] => readFileSync(logfile, 'utf8').trimEnd().split('\n');

describe('lib/cli/fastpoetry.ts --pidfile --logfile', () => {
  it('writes its pid, logs a line per client, and on SIGTERM stops, removes the pidfile and exits 0', async () => {
    const server = await startService('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
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
    expect(lines[0]).toMatch(new RegExp(`^${STAMP} Loaded a poem from ${poem('science')}$`));
    expect(lines[1]).toMatch(new RegExp(`Serving .* on port ${server.port}, process ${server.child.pid}$`));
    expect(lines.slice(-2).map((line) => line.slice(25))).toEqual(['Received SIGTERM, shutting down', 'Server stopped']);
    expect(server.stderr()).toBe('');
  });

  it('stops the same way on SIGINT, and appends to an existing log', async () => {
    writeFileSync(logfile, 'an earlier run\n');
    const server = await startService('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
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
    const first = await startService('fastpoetry', ['--pidfile', pidfile, poem('science')]);
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
    const server = await startService('fastpoetry', ['--pidfile', pidfile, '--logfile', logfile, poem('science')]);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${server.child.pid}\n`);
    expect(logLines()[0]).toMatch(new RegExp(`^${STAMP} Removed stale pidfile ${pidfile} of process ${dead}$`));
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  it('reports a pidfile without a pid, an unwritable pidfile or log file, and a port in use with one line and exit 1', async () => {
    const garbage = path.join(dir, 'garbage.pid');
    writeFileSync(garbage, 'not a pid\n');
    const missing = path.join(dir, 'no', 'such');
    const running = await startService('fastpoetry', [poem('science')]);
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
