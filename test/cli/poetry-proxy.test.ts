// Loopback tests of lib/cli/poetry-proxy.ts (the poetry proxy 3.0, chapters 14 and 19): caching,
// cancelling the upstream fetch when its client goes, bad input, stopping on a signal. Every
// program started here is killed after each test.
import * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { poem } from '../helpers/cli';
import { fetchAll, freePort, occupy } from '../helpers/net';
import { runCli, startServer, stopAll } from '../helpers/programs';

afterEach(stopAll);

const SCIENCE = readFileSync(poem('science'));

describe('lib/cli/poetry-proxy.ts', () => {
  it('prints what it proxies and its port, fetches once, serves later clients from the cache', async () => {
    const upstream = await startServer('fastpoetry', [poem('science')]);
    const proxy = await startServer('poetry-proxy', [String(upstream.port)]);
    expect(proxy.stdout()).toBe(`Proxying 127.0.0.1:${upstream.port} on port ${proxy.port}.\n`);
    for (let i = 0; i < 3; i++) expect((await fetchAll(proxy.port)).equals(SCIENCE)).toBe(true);
    await proxy.waitFor(/(Using cached poem\.\n.*){2}/s);
    expect(proxy.stdout().split('\n').slice(1, -1)).toEqual(['Fetching poem from server.', 'Using cached poem.', 'Using cached poem.']);
  });

  it('cancels the upstream fetch when its only client goes away, and fetches again for the next', async () => {
    // A slow upstream: the whole poem would take minutes.
    const upstream = await startServer('slowpoetry', ['--reactor', '--delay', '5', '--num-bytes', '10', poem('science')]);
    const proxy = await startServer('poetry-proxy', [`127.0.0.1:${upstream.port}`]);
    const client = net.connect({ host: '127.0.0.1', port: proxy.port });
    await proxy.waitFor(/Fetching poem from server\.\n/);
    client.destroy();
    await proxy.waitFor(/Cancelling poem download\.\n/);
    const again = net.connect({ host: '127.0.0.1', port: proxy.port });
    await proxy.waitFor(/Cancelling poem download\.\nFetching poem from server\.\n/);
    // A second upstream connection: the cancelled fetch was not reused.
    await upstream.waitFor(/(wants poetry!.*){2}/s);
    again.destroy();
    await proxy.waitFor(/(Cancelling poem download\.\n.*){2}/s);
  });

  it('when the upstream refuses, logs it on stderr and aborts the client (get-poetry: Poem failed, exit 1); nothing cached', async () => {
    const closed = await freePort();
    const proxy = await startServer('poetry-proxy', [String(closed)]);
    for (let i = 0; i < 2; i++) {
      const run = await runCli('get-poetry', [String(proxy.port)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^Poem failed: /);
    }
    expect(proxy.stdout().match(/Fetching poem from server\./g)).toHaveLength(2);
    const errors = proxy.stderr().trimEnd().split('\n');
    expect(errors).toHaveLength(2);
    for (const line of errors) expect(line).toMatch(new RegExp(`^Could not fetch poem from 127\\.0\\.0\\.1:${closed}: .*refused`, 'i'));
  });

  it('closes a connection past --max-connections at once, with nothing sent', async () => {
    const upstream = await startServer('slowpoetry', ['--reactor', '--delay', '5', '--num-bytes', '10', poem('science')]);
    const proxy = await startServer('poetry-proxy', ['--max-connections', '2', String(upstream.port)]);
    const waiting = [net.connect({ host: '127.0.0.1', port: proxy.port }), net.connect({ host: '127.0.0.1', port: proxy.port })];
    await proxy.waitFor(/(Waiting for the poem being fetched\.\n)/);
    expect((await fetchAll(proxy.port)).length).toBe(0);
    expect(waiting.map((socket) => socket.destroyed)).toEqual([false, false]);
    for (const socket of waiting) socket.destroy();
  });

  it('takes --idle-timeout: a client that waits for a slow upstream longer than that still gets its poem', async () => {
    // The wait for the upstream is not the client's idleness: the count starts at the poem's first write.
    const upstream = await startServer('slowpoetry', ['--reactor', '--delay', '0.2', '--num-bytes', '100', poem('science')]);
    const proxy = await startServer('poetry-proxy', ['--idle-timeout', '0.5', String(upstream.port)]);
    expect((await fetchAll(proxy.port)).equals(SCIENCE)).toBe(true);
  });

  it('stops on SIGINT and SIGTERM with exit status 0', async () => {
    const proxies = await Promise.all([startServer('poetry-proxy', ['1']), startServer('poetry-proxy', ['1'])]);
    proxies[0].child.kill('SIGINT');
    proxies[1].child.kill('SIGTERM');
    expect(await Promise.all(proxies.map((p) => p.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });

  it('reports bad input with one line and a non-zero exit', async () => {
    const taken = await occupy();
    try {
      const runs = await Promise.all([
        runCli('poetry-proxy', []),
        runCli('poetry-proxy', ['1000', '2000']),
        runCli('poetry-proxy', ['localhost:x']),
        runCli('poetry-proxy', ['--port', '70000', '1000']),
        runCli('poetry-proxy', ['--bogus', '1000']),
        runCli('poetry-proxy', ['--port', String(taken.port), '1000']),
      ]);
      expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 1]);
      for (const run of runs) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(runs[0].stderr).toBe('poetry-proxy.ts: error: give at least one address, [HOST:]PORT\n');
      expect(runs[1].stderr).toBe('poetry-proxy.ts: error: give exactly one poetry server address, [HOST:]PORT\n');
      expect(runs[2].stderr).toMatch(/^poetry-proxy\.ts: error: .*`x`/);
      expect(runs[3].stderr).toMatch(/port number from 0 to 65535, got `70000`/);
      expect(runs[4].stderr).toMatch(/^poetry-proxy\.ts: error: Unknown option '--bogus'/);
      expect(runs[5].stderr).toMatch(/^poetry-proxy\.ts: Couldn't listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });

  it('rejects an empty --iface, a bad --idle-timeout or --max-connections with one line and exit 2', async () => {
    const runs = await Promise.all(
      [['--iface', ''], ['--idle-timeout', 'x'], ['--max-connections', '1.5']].map((args) => runCli('poetry-proxy', [...args, '1000'])),
    );
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs.map((r) => r.stderr)).toEqual([
      'poetry-proxy.ts: error: --iface must be an address such as 127.0.0.1 or 0.0.0.0, got ``\n',
      'poetry-proxy.ts: error: --idle-timeout must be a number >= 0, got `x`\n',
      'poetry-proxy.ts: error: --max-connections must be an integer >= 1, got `1.5`\n',
    ]);
  });
});
