// lib/cli/transformedpoetry.ts (chapter 12) as a user runs it: the wire bytes of the original's
// example, bad input with one line and a non-zero exit, SIGTERM stopping it with status 0.
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startServer, stopAll } from '../helpers/programs';
import { occupy } from '../helpers/net';

afterEach(stopAll);

/** Sends `request` and half-closes, as `nc -q 1` does; resolves with every byte the server sent before closing. */
function exchange(port: number, request: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket: net.Socket = net.connect({ host: '127.0.0.1', port }, () => socket.end(request));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

/** A client that sends half a request and waits; `closed` says how the server ended it ('end' or an error code). */
function halfSent(port: number): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  return new Promise((resolve) => {
    const socket: net.Socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.write('100:cummingsify.only part of');
      resolve({ socket, closed });
    });
    const closed = new Promise<string>((settle) => {
      socket.on('data', () => settle('data'));
      socket.on('end', () => {
        settle('end');
        socket.destroy();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? 'error'));
    });
  });
}

describe('lib/cli/transformedpoetry.ts', () => {
  it("prints its port and answers the original's example byte for byte", async () => {
    const server = await startServer('transformedpoetry', []);
    expect(server.stdout()).toBe(`Serving transforms on port ${server.port}.\n`);
    expect((await exchange(server.port, '27:cummingsify.HERE IS MY POEM,')).toString('latin1')).toBe('15:here is my poem,');
    expect((await exchange(server.port, '14:shout.a poem..,')).toString('latin1')).toBe('8:A POEM..,');
  });

  it('closes the connection without an answer for bad requests, and keeps serving', async () => {
    const server = await startServer('transformedpoetry', []);
    const answers = await Promise.all(
      ['9:bogus.ABC,', '5:nodot,', 'not a netstring', '100000:'].map((request) => exchange(server.port, request)),
    );
    expect(answers.map((a) => a.length)).toEqual([0, 0, 0, 0]);
    expect((await exchange(server.port, '17:cummingsify.ABC D,')).toString()).toBe('5:abc d,');
  });

  it('closes a connection past --max-connections at once, and aborts one idle for --idle-timeout seconds', async () => {
    const server = await startServer('transformedpoetry', ['--max-connections', '3', '--idle-timeout', '1']);
    // One after another, so the server accepts them in this order.
    const holders: { socket: net.Socket; closed: Promise<string> }[] = [];
    for (let i = 0; i < 4; i++) holders.push(await halfSent(server.port));
    const [over] = holders.splice(3);
    expect(await over.closed).toBe('end');
    // The three within the limit were still open when the fourth was closed; idle, they are cut.
    expect(holders.map((h) => h.socket.destroyed)).toEqual([false, false, false]);
    expect(await Promise.all(holders.map((h) => h.closed))).toEqual(['ECONNRESET', 'ECONNRESET', 'ECONNRESET']);
    expect((await exchange(server.port, '14:shout.a poem..,')).toString('latin1')).toBe('8:A POEM..,');
  });

  it('listens on --port and --iface', async () => {
    const taken = await occupy();
    const port = taken.port;
    await taken.close();
    const server = await startServer('transformedpoetry', ['--port', String(port), '--iface', '127.0.0.1']);
    expect(server.port).toBe(port);
  });

  it('reports bad input with one line and a non-zero exit', async () => {
    const taken = await occupy();
    try {
      const runs = await Promise.all([
        runCli('transformedpoetry', ['--port', 'x']),
        runCli('transformedpoetry', ['poem.txt']),
        runCli('transformedpoetry', ['--bogus']),
        runCli('transformedpoetry', ['--port', String(taken.port)]),
      ]);
      expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 1]);
      for (const run of runs) expect(run.stderr.split('\n')).toHaveLength(2); // one line, then the final newline
      expect(runs[0].stderr).toMatch(/^transformedpoetry\.ts: error: .*port number from 0 to 65535, got `x`/);
      expect(runs[1].stderr).toBe(
        'transformedpoetry.ts: error: takes no arguments, got `poem.txt` (options: --port P, --iface HOST, --idle-timeout SECONDS, --max-connections N)\n',
      );
      expect(runs[2].stderr).toMatch(/^transformedpoetry\.ts: error: Unknown option '--bogus'/);
      expect(runs[3].stderr).toMatch(/^transformedpoetry\.ts: Couldn't listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
      expect(runs.map((r) => r.stdout)).toEqual(['', '', '', '']);
    } finally {
      await taken.close();
    }
  });

  it('rejects an empty --iface, a bad --idle-timeout or --max-connections with one line and exit 2', async () => {
    const runs = await Promise.all(
      [['--iface', ''], ['--idle-timeout', '-1'], ['--idle-timeout', '2147484'], ['--max-connections', '0'], ['--max-connections', '1.5']].map((args) =>
        runCli('transformedpoetry', args),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.map((r) => r.stderr)).toEqual([
      'transformedpoetry.ts: error: --iface must be an address such as 127.0.0.1 or 0.0.0.0, got ``\n',
      'transformedpoetry.ts: error: --idle-timeout must be a number >= 0, got `-1`\n',
      'transformedpoetry.ts: error: --idle-timeout must be at most 2147483.647 seconds (about 24.8 days, what a timer can hold), got `2147484`\n',
      'transformedpoetry.ts: error: --max-connections must be an integer >= 1, got `0`\n',
      'transformedpoetry.ts: error: --max-connections must be an integer >= 1, got `1.5`\n',
    ]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops on %s with status 0', async (signal) => {
    const server = await startServer('transformedpoetry', []);
    expect(await server.stop(signal)).toEqual({ code: 0, signal: null });
  });
});
