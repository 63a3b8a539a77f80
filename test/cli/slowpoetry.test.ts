import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { poem } from '../helpers/cli';
import { runCli, startServer, stopAll } from '../helpers/programs';
import { fetchAll, occupy, readSomeAndVanish } from '../helpers/net';

afterEach(stopAll);

describe('lib/cli/slowpoetry.ts', () => {
  it('serves the poem byte for byte, printing the original lines', async () => {
    const server = await startServer('slowpoetry', ['--delay', '0.001', '--num-bytes', '100', poem('science')]);
    const expected = readFileSync(poem('science'));
    expect((await fetchAll(server.port)).equals(expected)).toBe(true);
    const lines = server.stdout().trimEnd().split('\n');
    expect(lines[0]).toBe(`Serving ${poem('science')} on port ${server.port}.`);
    expect(lines[1]).toMatch(/^Somebody at \('127\.0\.0\.1', \d+\) wants poetry!$/);
    expect(lines.slice(2)).toEqual([...Array(6).fill('Sending 100 bytes'), `Sending ${expected.length - 600} bytes`]);
  });

  it('sends 10 bytes a chunk by default, and listens on 127.0.0.1 only', async () => {
    const server = await startServer('slowpoetry', ['--delay', '0', poem('fascination')]);
    expect(await fetchAll(server.port)).toEqual(readFileSync(poem('fascination')));
    expect(server.stdout()).toContain('Sending 10 bytes\n');
    // /proc/net/tcp lists listening sockets (state 0A) as hex ADDRESS:PORT; 0100007F is 127.0.0.1.
    const port = server.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${port}`))
      .map((fields) => fields[1]);
    expect(listening).toEqual([`0100007F:${port}`]);
  });

  it('keeps serving after a client vanishes mid-poem: the next client gets the whole poem', async () => {
    const server = await startServer('slowpoetry', ['--delay', '0.01', '--num-bytes', '50', poem('ecstasy')]);
    await readSomeAndVanish(server.port, 100);
    expect((await fetchAll(server.port)).equals(readFileSync(poem('ecstasy')))).toBe(true);
  });

  it('serves one client at a time: the second waits for the first', async () => {
    const server = await startServer('slowpoetry', ['--delay', '0.01', '--num-bytes', '100', poem('science')]);
    const order: string[] = [];
    await Promise.all([
      fetchAll(server.port).then(() => order.push('first')),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => fetchAll(server.port)).then(() => order.push('second')),
    ]);
    expect(order).toEqual(['first', 'second']);
    expect(server.stdout().match(/wants poetry!/g)).toHaveLength(2);
  });

  it('refuses a port in use with one line and exit status 1', async () => {
    const taken = await occupy();
    try {
      const run = await runCli('slowpoetry', ['--port', String(taken.port), poem('science')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^slowpoetry\.ts: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
    } finally {
      await taken.close();
    }
  });

  it.concurrent.for<[string[], RegExp]>([
    [['/no/such/poem.txt'], /\/no\/such\/poem\.txt: no such file/],
    [['poetry'], /poetry: is a directory/],
    [[], /give exactly one poetry file/],
    [['poetry/science.txt', 'poetry/ecstasy.txt'], /give exactly one poetry file/],
    [['--port', 'abc', 'poetry/science.txt'], /port number from 0 to 65535, got `abc`/],
    [['--port=-1', 'poetry/science.txt'], /port number from 0 to 65535, got `-1`/],
    [['--port', '-1', 'poetry/science.txt'], /port number from 0 to 65535, got `-1`/],
    [['--port', '65536', 'poetry/science.txt'], /port number from 0 to 65535, got `65536`/],
    [['--delay', '-0.5', 'poetry/science.txt'], /--delay must be a number >= 0, got `-0.5`/],
    [['--delay', 'soon', 'poetry/science.txt'], /--delay must be a number >= 0, got `soon`/],
    // Longer than a timer can hold (2^31 - 1 ms): it would fire at once, again and again.
    [['--delay', '2147484', 'poetry/science.txt'], /--delay must be at most 2147483\.647 seconds \(about 24\.8 days/],
    [['--reactor', '--delay', '1e10', 'poetry/science.txt'], /--delay must be at most 2147483\.647 seconds/],
    [['--num-bytes', '0', 'poetry/science.txt'], /--num-bytes must be an integer >= 1, got `0`/],
    [['--num-bytes', '-3', 'poetry/science.txt'], /--num-bytes must be an integer >= 1, got `-3`/],
    [['--num-bytes', '0.5', 'poetry/science.txt'], /--num-bytes must be an integer >= 1, got `0\.5`/],
    [['--num-bytes', '1.5', 'poetry/science.txt'], /--num-bytes must be an integer >= 1, got `1\.5`/],
    [['--num-bytes', '1e3', 'poetry/science.txt'], /--num-bytes must be an integer >= 1, got `1e3`/],
    [['--iface', '', 'poetry/science.txt'], /--iface must be an address such as 127\.0\.0\.1 or 0\.0\.0\.0, got ``/],
    [['--reactor', '--iface', ' ', 'poetry/science.txt'], /--iface must be an address/],
    [['--bogus', 'poetry/science.txt'], /Unknown option '--bogus'/],
  ])('rejects %j with one line and exit status 2', async ([args, message], { expect: check }) => {
    const run = await runCli('slowpoetry', args);
    check(run.code).toBe(2);
    check(run.stderr).toMatch(message);
    check(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    check(run.stdout).toBe('');
  });

  it('reports an interface it cannot bind with one line and exit status 1', async () => {
    const run = await runCli('slowpoetry', ['--iface', '192.0.2.1', poem('science')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^slowpoetry\.ts: listen EADDRNOTAVAIL: address not available 192\.0\.2\.1\n$/);
  });
});
