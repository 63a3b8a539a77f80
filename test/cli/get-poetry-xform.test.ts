// lib/cli/get-poetry.ts --xform (chapter 13): each poem transformed on the transform server,
// falling back to the poem as it came when the transform fails; bad input with one line.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { poem } from '../helpers/cli';
import { runCli, type Server, startServer, stopAll } from '../helpers/programs';
import { freePort } from '../helpers/net';

afterEach(stopAll);

const text = (name: string): string => readFileSync(poem(name), 'utf8');

function servers(): Promise<[Server, Server, Server]> {
  return Promise.all([
    startServer('transformedpoetry', []),
    startServer('fastpoetry', [poem('science')]),
    startServer('slowpoetry', ['--reactor', '--delay', '0.001', '--num-bytes', '200', poem('fascination')]),
  ]);
}

describe('lib/cli/get-poetry.ts --xform', () => {
  it('prints each poem cummingsified by default', async () => {
    const [xform, fast, slow] = await servers();
    const run = await runCli('get-poetry', ['--xform', `127.0.0.1:${xform.port}`, String(fast.port), String(slow.port)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(text('science').toLowerCase());
    expect(run.stdout).toContain(text('fascination').toLowerCase());
    expect(run.stdout.length).toBe(text('science').length + text('fascination').length);
  });

  it('asks for the transform --transform names', async () => {
    const [xform, fast] = await servers();
    const run = await runCli('get-poetry', ['--xform', String(xform.port), '--transform', 'shout', String(fast.port)]);
    expect(run.stdout).toBe(text('science').toUpperCase());
    expect(run.code).toBe(0);
  });

  it('falls back to the poem as it came when the transform fails, with a line on stderr', async () => {
    const [xform, fast] = await servers();
    const closed = await freePort();
    const [unknown, down] = await Promise.all([
      runCli('get-poetry', ['--xform', String(xform.port), '--transform', 'nope', String(fast.port)]),
      runCli('get-poetry', ['--xform', String(closed), String(fast.port)]),
    ]);
    expect(unknown.stdout).toBe(text('science'));
    expect(unknown.stderr).toBe(
      'Transform nope failed: the transform server closed the connection without a poem (no transform `nope`, or it failed)\n',
    );
    expect(unknown.code).toBe(0);
    expect(down.stdout).toBe(text('science'));
    expect(down.stderr).toBe(`Transform cummingsify failed: Connection was refused by other side: 127.0.0.1:${closed}.\n`);
    expect(down.code).toBe(0);
  });

  it('still reports a failed download and exits 1', async () => {
    const [xform] = await servers();
    const closed = await freePort();
    const run = await runCli('get-poetry', ['--xform', String(xform.port), String(closed)]);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`Poem failed: Connection was refused by other side: 127.0.0.1:${closed}.\n`);
    expect(run.code).toBe(1);
  });

  it('reports bad input with one line and exit status 2', async () => {
    const runs = await Promise.all([
      runCli('get-poetry', ['--xform', 'x:y', '10000']),
      runCli('get-poetry', ['--transform', 'shout', '10000']),
      runCli('get-poetry', ['--xform', '10001', '--transform', 'a.b', '10000']),
      runCli('get-poetry', ['--xform', '10001']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0].stderr).toMatch(/^get-poetry\.ts: error: --xform: .*`y`\n$/);
    expect(runs[1].stderr).toBe('get-poetry.ts: error: --transform needs --xform [HOST:]PORT\n');
    expect(runs[2].stderr).toBe("get-poetry.ts: error: --transform must be a name without a '.', got `a.b`\n");
    expect(runs[3].stderr).toBe('get-poetry.ts: error: give at least one address, [HOST:]PORT\n');
  });
});
