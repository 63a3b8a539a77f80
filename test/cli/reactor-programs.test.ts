import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { poem } from '../helpers/cli';
import { runCli, startServer, stopAll } from '../helpers/programs';
import { fetchAll, freePort, occupy } from '../helpers/net';

afterEach(stopAll);

describe('lib/cli/slowpoetry.ts --reactor', () => {
  it('serves several clients, each the whole poem, and stops cleanly on SIGTERM', async () => {
    const server = await startServer('slowpoetry', ['--reactor', '--delay', '0.1', '--num-bytes', '100', poem('science')]);
    const poems = await Promise.all(Array.from({ length: 5 }, () => fetchAll(server.port)));
    for (const got of poems) expect(got.equals(readFileSync(poem('science')))).toBe(true);
    // Behaviour only: that they are served at once, not in turn, is a scheduling claim, checked
    // exactly with a Clock in test/poetry/servers.test.ts.
    const lines = server.stdout().split('\n');
    expect(lines.filter((line) => line.endsWith('wants poetry!'))).toHaveLength(5);
    expect(lines.filter((line) => line.startsWith('Sending'))).toHaveLength(5 * 7);
    await server.stop();
  });
});

describe('lib/cli/fastpoetry.ts', () => {
  it('prints its port and sends the whole poem at once', async () => {
    const server = await startServer('fastpoetry', [poem('ecstasy')]);
    expect(server.stdout()).toBe(`Serving ${poem('ecstasy')} on port ${server.port}.\n`);
    expect((await fetchAll(server.port)).equals(readFileSync(poem('ecstasy')))).toBe(true);
  });

  it('reports a port in use, a missing poem and a bad port with one line', async () => {
    const taken = await occupy();
    try {
      const runs = await Promise.all([
        runCli('fastpoetry', ['--port', String(taken.port), poem('science')]),
        runCli('fastpoetry', ['/no/such.txt']),
        runCli('fastpoetry', ['--port', 'x', poem('science')]),
      ]);
      expect(runs.map((r) => r.code)).toEqual([1, 2, 2]);
      expect(runs[0].stderr).toMatch(/^fastpoetry\.ts: Couldn't listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
      expect(runs[1].stderr).toBe('fastpoetry.ts: error: /no/such.txt: no such file\n');
      expect(runs[2].stderr).toMatch(/port number from 0 to 65535, got `x`/);
    } finally {
      await taken.close();
    }
  });
});

describe('lib/cli/get-poetry.ts', () => {
  it('prints each poem in full, reports a failure on stderr and exits 1', async () => {
    const fast = await startServer('fastpoetry', [poem('science')]);
    const slow = await startServer('slowpoetry', ['--reactor', '--delay', '0.001', '--num-bytes', '200', poem('fascination')]);
    const closed = await freePort();
    const run = await runCli('get-poetry', [String(fast.port), `127.0.0.1:${slow.port}`, String(closed)]);
    expect(run.stdout).toContain(readFileSync(poem('science'), 'utf8'));
    expect(run.stdout).toContain(readFileSync(poem('fascination'), 'utf8'));
    expect(run.stderr).toBe(`Poem failed: Connection was refused by other side: 127.0.0.1:${closed}.\n`);
    expect(run.code).toBe(1);
  });

  it('exits 0 when every poem arrives', async () => {
    const fast = await startServer('fastpoetry', [poem('alla_sera')]);
    const run = await runCli('get-poetry', [String(fast.port)]);
    expect(run.stdout).toBe(readFileSync(poem('alla_sera'), 'utf8'));
    expect(run.code).toBe(0);
  });
});
