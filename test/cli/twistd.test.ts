// Loopback tests of lib/cli/twistd.ts (chapter 16): the fastpoetry plugin, configuration modules
// (-y, --config), --pidfile, --logfile, the graceful stop on SIGTERM/SIGINT (a client that never
// reads is aborted after the grace period; a second signal exits at once) and bad input. Every
// program started here is killed after each test.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poem, poemBytes, ROOT } from '../helpers/cli';
import { fetchAll } from '../helpers/net';
import { runCli, type Server, startServer, stopAll } from '../helpers/programs';
import { quoteOutput } from '../helpers/quote-output';

let dir: string;
let pidfile: string;
let logfile: string;
const sockets: net.Socket[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'twistd-'));
  pidfile = path.join(dir, 'twistd.pid');
  logfile = path.join(dir, 'twistd.log');
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const STAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
// The log's lines without their time stamps (after checking that each has one).
function logged(file = logfile): string[] {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  for (const line of lines) expect(line).toMatch(new RegExp(`^${STAMP} `));
  return lines.map((line) => line.slice(25));
}

/** Resolves once the log file has a line matching `pattern` (it is written line by line). */
async function logShows(pattern: RegExp, seconds = 10): Promise<void> {
  for (let waited = 0; waited < seconds * 1000; waited += 50) {
    if (existsSync(logfile) && pattern.test(readFileSync(logfile, 'utf8'))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in the log within ${seconds} s`);
}

/** A client that connects and never reads: the server's writes pile up until it is aborted. */
function stalledClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.pause();
    socket.on('error', () => {}); // the abort arrives as a reset
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** twistd's fastpoetry with `--grace`, serving a client that never reads a poem too big to send unread. */
async function servingOneThatNeverReads(grace: string): Promise<Server> {
  // Far more than the loopback socket buffers hold, so the poem cannot be sent without reading.
  const big = path.join(dir, 'big.txt');
  writeFileSync(big, Buffer.alloc(32 << 20, 'x'));
  const server = await startServer('twistd', ['--pidfile', pidfile, '--logfile', logfile, 'fastpoetry', '--port', '0', '--poem', big, '--grace', grace]);
  await stalledClient(server.port);
  await logShows(/ Sending \d+ bytes of poetry/);
  return server;
}

describe('twistd.ts PLUGIN', () => {
  it('runs the fastpoetry plugin with a pidfile and a log file, and stops on SIGTERM', async () => {
    const server = await startServer('twistd', ['--pidfile', pidfile, '--logfile', logfile, 'fastpoetry', '--port', '0', '--poem', poem('science')]);
    expect(server.stdout()).toBe(`Serving fastpoetry on port ${server.port}.\n`);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${server.child.pid}\n`);
    expect((await fetchAll(server.port)).equals(poemBytes('science'))).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    const lines = logged();
    expect(lines.slice(0, 2)).toEqual([`Loaded a poem from ${poem('science')}`, `Serving fastpoetry on port ${server.port}, process ${server.child.pid}`]);
    expect(lines[2]).toMatch(new RegExp(`^Sending ${poemBytes('science').length} bytes of poetry to 127\\.0\\.0\\.1:\\d+$`));
    expect(lines.slice(3)).toEqual(['Received SIGTERM, shutting down', 'Server stopped']);
    expect(server.stderr()).toBe('');
  });

  it('logs to stdout with --logfile -, and listens on the plugin options given', async () => {
    const server = await startServer('twistd', ['-l', '-', 'fastpoetry', '--poem', poem('science'), '--port', '0', '--iface', '127.0.0.1']);
    await fetchAll(server.port);
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
    const lines = server.stdout().trimEnd().split('\n');
    expect(lines).toContain(`Serving fastpoetry on port ${server.port}.`);
    const stamped = lines.filter((line) => new RegExp(`^${STAMP} `).test(line)).map((line) => line.slice(25));
    expect(stamped.at(0)).toBe(`Loaded a poem from ${poem('science')}`);
    expect(stamped.slice(-2)).toEqual(['Received SIGINT, shutting down', 'Server stopped']);
  });

  it('on SIGTERM lets a client that never reads keep its poem for --grace seconds, then aborts it and exits 0', async () => {
    const server = await servingOneThatNeverReads('0.5');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    expect(logged().slice(-4)).toEqual([
      'Received SIGTERM, shutting down',
      'Finishing 1 poem(s) under way',
      'Aborted 1 connection(s) still open after the grace period of 0.5 s',
      'Server stopped',
    ]);
  });

  it('exits at once on a second signal during the stop, removing its pidfile', async () => {
    const server = await servingOneThatNeverReads('600');
    server.child.kill('SIGTERM');
    await logShows(/Finishing 1 poem/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 128 + os.constants.signals.SIGTERM, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    expect(logged().at(-1)).toBe('Received SIGTERM again: exiting now');
  });
});

describe('twistd.ts -y MODULE', () => {
  it('runs the application lib/poetry/fastpoetry-tac.ts exports', async () => {
    const server = await startServer('twistd', ['--pidfile', pidfile, '--logfile', logfile, '-y', 'lib/poetry/fastpoetry-tac.ts'], {
      env: { FASTPOETRY_PORT: '0', FASTPOETRY_POEM: poem('science') },
    });
    expect(server.stdout()).toBe(`Serving fastpoetry on port ${server.port}.\n`);
    expect((await fetchAll(server.port)).equals(poemBytes('science'))).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    expect(logged().filter((line) => line.startsWith('Sending '))).toHaveLength(1);
  });

  it('runs any module exporting an application (--config), every TCPServer in its tree', async () => {
    const module = path.join(dir, 'two-ports.ts');
    writeFileSync(
      module,
      [
        `import { Application, MultiService, TCPServer } from ${JSON.stringify(path.join(ROOT, 'lib', 'application', 'index.ts'))};`,
        `import { FastPoetryFactory } from ${JSON.stringify(path.join(ROOT, 'lib', 'poetry', 'fast-server.ts'))};`,
        `export const application = new Application('two');`,
        `const both = new MultiService();`,
        `both.setServiceParent(application);`,
        `new TCPServer(0, new FastPoetryFactory(Buffer.from('one'))).setServiceParent(both);`,
        `new TCPServer(0, new FastPoetryFactory(Buffer.from('two'))).setServiceParent(application);`,
      ].join('\n'),
    );
    const server = await startServer('twistd', ['--config', module]);
    await server.waitFor(/ on port \d+\.\n.* on port \d+\.\n/);
    const ports = [...server.stdout().matchAll(/^Serving two on port (\d+)\.$/gm)].map((m) => Number(m[1]));
    expect(ports).toHaveLength(2);
    expect((await Promise.all(ports.map(fetchAll))).map(String)).toEqual(['one', 'two']);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

describe('twistd.ts --help', () => {
  it('lists its options and plugins, and a plugin its options, with exit 0', async () => {
    const [top, plugin] = await Promise.all([runCli('twistd', ['--help']), runCli('twistd', ['-n', 'fastpoetry', '--help'])]);
    expect([top.code, plugin.code]).toEqual([0, 0]);
    expect(top.stdout).toMatch(/^Usage: twistd\.ts /);
    expect(top.stdout).toMatch(/^ {2}fastpoetry +A fast poetry service\.$/m);
    expect(plugin.stdout).toMatch(/^ {2}--port +The port number to listen on\. \[default: 10000\]$/m);
    expect(plugin.stdout).toMatch(/^ {2}--poem +The file containing the poem\.$/m);
  });
});

describe('twistd.ts bad input', () => {
  it('gives one line on stderr and exit 2 for a usage error', async () => {
    const empty = path.join(dir, 'empty.ts');
    writeFileSync(empty, 'export const notAnApplication = 1;\n');
    const broken = path.join(dir, 'broken.ts');
    writeFileSync(broken, "throw new Error('no poem today');\n");
    const argvs: string[][] = [
      [],
      ['nosuchplugin'],
      ['fastpoetry', '--port', '0'],
      ['fastpoetry', '--poem', path.join(dir, 'missing.txt')],
      ['fastpoetry', '--poem', poem('science'), '--port', '70000'],
      ['fastpoetry', '--poem', poem('science'), '--grace', '-1'],
      ['fastpoetry', '--poem', poem('science'), '--colour', 'red'],
      ['--bogus', 'fastpoetry'],
      ['-y', path.join(dir, 'missing.ts')],
      ['-y', empty],
      ['-y', broken],
      ['-y', empty, 'fastpoetry'],
    ];
    // Four at a time: a dozen programs starting at once can take longer than a timeout on a busy machine.
    const runs = [];
    for (let i = 0; i < argvs.length; i += 4) runs.push(...(await Promise.all(argvs.slice(i, i + 4).map((argv) => runCli('twistd', argv, 60)))));
    for (const run of runs) {
      expect(run.code, quoteOutput(run.stderr)).toBe(2);
      expect(run.stderr).toMatch(/^twistd\.ts: error: [^\n]+\n$/);
      expect(run.stdout).toBe('');
    }
    expect(runs.map((r) => r.stderr.slice('twistd.ts: error: '.length).trimEnd())).toEqual([
      'give a plugin name or -y MODULE.ts (see --help)',
      'unknown plugin `nosuchplugin`; plugins: fastpoetry',
      '--poem is required: the file containing the poem',
      `${path.join(dir, 'missing.txt')}: no such file`,
      expect.stringMatching(/port/i),
      '--grace must be a number >= 0, got `-1`',
      expect.stringMatching(/--colour/),
      expect.stringMatching(/--bogus/),
      `${path.join(dir, 'missing.ts')}: no such file`,
      `${empty} does not export an \`application\` (a service)`,
      `${broken}: cannot load it: no poem today`,
      'give a plugin or a configuration module, not both (`fastpoetry`)',
    ]);
  });

  it('gives one line and exit 1 for a port in use, a live pidfile, or a start that fails, and removes its pidfile', async () => {
    const running = await startServer('twistd', ['--pidfile', pidfile, 'fastpoetry', '--port', '0', '--poem', poem('science')]);
    const failing = path.join(dir, 'failing.ts');
    writeFileSync(
      failing,
      [
        `import { Application, Service } from ${JSON.stringify(path.join(ROOT, 'lib', 'application', 'index.ts'))};`,
        `export const application = new Application('failing');`,
        `new (class extends Service { override startService(): void { throw new Error('no poem today'); } })().setServiceParent(application);`,
      ].join('\n'),
    );
    const [inUse, live, failed] = ['in-use.pid', 'live.pid', 'failed.pid'].map((name) => path.join(dir, name));
    const runs = await Promise.all([
      runCli('twistd', ['--pidfile', inUse, 'fastpoetry', '--port', String(running.port), '--poem', poem('science')]),
      runCli('twistd', ['--pidfile', pidfile, '--logfile', logfile, 'fastpoetry', '--port', '0', '--poem', poem('science')]),
      runCli('twistd', ['--pidfile', failed, '-y', failing]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1]);
    for (const run of runs) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(runs[0].stderr).toMatch(/^twistd\.ts: Couldn't listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
    expect(runs[1].stderr).toBe(`twistd.ts: another server is running, PID ${running.child.pid} (from pidfile ${pidfile})\n`);
    expect(runs[2].stderr).toBe('twistd.ts: cannot start failing: no poem today\n');
    expect([existsSync(inUse), existsSync(failed), existsSync(logfile), existsSync(live)]).toEqual([false, false, false, false]);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${running.child.pid}\n`);
  });
});
