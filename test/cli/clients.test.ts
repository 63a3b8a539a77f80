import { constants } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockingClient } from '../../lib/blocking/index';
import { asyncClient } from '../../lib/select/index';
import { formatAddress } from '../../lib/sockets/index';
import { ELAPSED, poem, poemBytes, printed } from '../helpers/cli';
import { runCli, runProgram, type Server, startServer, stopAll } from '../helpers/programs';
import { freePort } from '../helpers/net';

const POEMS = ['ecstasy', 'fascination', 'science'];
let servers: Server[];

/** Fresh servers for each client run: a slow server serves one client at a time. */
async function startServers(): Promise<void> {
  await stopAll();
  servers = await Promise.all(
    POEMS.map((name, i) => startServer('slowpoetry', ['--delay', '0.002', '--num-bytes', String(i === 0 ? 300 : 100), poem(name)])),
  );
}
const ports = (): string[] => servers.map((s) => String(s.port));

beforeAll(startServers);
afterAll(stopAll);

describe('blockingClient', () => {
  it('gets every poem byte for byte, one after another, and the total is the sum of the tasks', async () => {
    const lines: string[] = [];
    const result = blockingClient(
      servers.map((s) => ['127.0.0.1', s.port] as const),
      { log: (line) => lines.push(line) },
    );
    POEMS.forEach((name, i) => expect(result.poems[i].equals(poemBytes(name))).toBe(true));
    expect(result.elapsed).toBeCloseTo(result.times.reduce((a, b) => a + b, 0), 9);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(`Task 1: get poetry from: 127.0.0.1:${servers[0].port}`);
    expect(lines[1]).toMatch(new RegExp(`^Task 1: got ${poemBytes('ecstasy').length} bytes of poetry from 127\\.0\\.0\\.1:${servers[0].port} in ${ELAPSED}$`));
    expect(lines[6]).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
  });
});

describe('asyncClient', () => {
  it('gets every poem byte for byte, all at once', async () => {
    await startServers();
    const lines: string[] = [];
    const addresses = servers.map((s) => ['127.0.0.1', s.port] as const);
    const result = await asyncClient(addresses, { log: (line) => lines.push(line) });
    POEMS.forEach((name, i) => expect(result.poems[i].equals(poemBytes(name))).toBe(true));
    for (const line of lines.slice(0, -4)) {
      expect(line).toMatch(/^Task \d: got \d+ bytes of poetry from 127\.0\.0\.1:\d+$|^Task \d finished$/);
    }
    expect(lines.filter((line) => line.endsWith('finished'))).toHaveLength(3);
    expect(lines.slice(-4, -1)).toEqual(POEMS.map((name, i) => `Task ${i + 1}: ${poemBytes(name).length} bytes of poetry`));
    expect(lines.at(-1)).toMatch(new RegExp(`^Got 3 poems in ${ELAPSED}$`));
    // Chunks of different tasks interleave.
    const order = lines.filter((line) => line.includes(' got ')).map((line) => line.slice(0, 6));
    expect(order.indexOf('Task 2')).toBeLessThan(order.lastIndexOf('Task 1'));
    expect(addresses.map(formatAddress)).toEqual(servers.map((s) => `127.0.0.1:${s.port}`));
  });

  it('reports a server that is not there as a failed poem, and gets the others', async () => {
    await startServers();
    const port = await freePort();
    const out = printed();
    const result = await asyncClient([['127.0.0.1', servers[0].port], ['127.0.0.1', port]], out);
    expect(result.poems[0].equals(poemBytes(POEMS[0]))).toBe(true);
    expect(result.errors[0]).toBeUndefined();
    expect(result.errors[1]).toMatchObject({ code: 'ECONNREFUSED' });
    expect(out.errors).toEqual([`Poem failed: connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect(out.lines.at(-1)).toMatch(new RegExp(`^Got 1 poems in ${ELAPSED}$`));
  });
});

describe('lib/cli/get-poetry-blocking.ts and get-poetry-async.ts', () => {
  it.each(['get-poetry-blocking', 'get-poetry-async'])('%s prints the byte counts of every poem', async (cli) => {
    await startServers();
    const run = await runCli(cli, ports());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const [i, name] of POEMS.entries()) {
      const size = poemBytes(name).length;
      expect(run.stdout).toMatch(cli.endsWith('blocking') ? ` got ${size} bytes of poetry from 127.0.0.1:${servers[i].port} in ` : `Task ${i + 1}: ${size} bytes of poetry\n`);
    }
    expect(run.stdout).toMatch(new RegExp(`Got 3 poems in ${ELAPSED}\n$`));
  });

  it.each(['get-poetry-blocking', 'get-poetry-async'])('%s reports bad input with one line and a non-zero exit', async (cli) => {
    const closed = String(await freePort());
    const cases: Array<[string[], number, RegExp]> = [
      [[], 2, /error: give at least one address, \[HOST:\]PORT/],
      [['a:b:c'], 2, /error: Expected an address of the form \[HOST:\]PORT, got `a:b:c`/],
      [['localhost:http'], 2, /port number from 1 to 65535, got `http`/],
      [['70000'], 2, /port number from 1 to 65535, got `70000`/],
      [[closed], 1, new RegExp(`connect ECONNREFUSED 127\\.0\\.0\\.1:${closed}`)],
      [['no-such-host.invalid:10000'], 1, /getaddrinfo ENOTFOUND no-such-host\.invalid/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(cli, args)));
    runs.forEach((run, i) => {
      const [, code, message] = cases[i];
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
});

describe('the clients\' --max-bytes and --timeout', () => {
  it.each(['get-poetry-blocking', 'get-poetry-async', 'get-poetry'])('%s rejects a malformed limit with one line and exit status 2', async (cli) => {
    const cases: Array<[string[], RegExp]> = [
      [['--max-bytes', '0'], /error: --max-bytes must be an integer >= 1, got `0`$/],
      [['--max-bytes', '1e3'], /error: --max-bytes must be an integer >= 1, got `1e3`$/],
      [['--max-bytes', '1.5'], /error: --max-bytes must be an integer >= 1, got `1.5`$/],
      [['--timeout', '0'], /error: --timeout must be a number > 0, got `0`$/],
      [['--timeout', '3e6'], /error: --timeout must be at most 2147483.647 seconds \(about 24.8 days, what a timer can hold\), got `3e6`$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(cli, [...args, '10000'])));
    runs.forEach((run, i) => {
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd()).toMatch(cases[i][1]);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    });
  });

  it('get-poetry takes no more than a string can hold', async () => {
    const run = await runCli('get-poetry', ['--max-bytes', String(2 ** 30), '10000']);
    expect([run.code, run.stderr]).toEqual([2, `get-poetry.ts: error: --max-bytes must be at most ${constants.MAX_STRING_LENGTH}, got \`${2 ** 30}\`\n`]);
  });

  it.each(['get-poetry-blocking', 'get-poetry-async', 'get-poetry'])('%s takes a poem of exactly --max-bytes and fails one byte more', async (cli) => {
    await startServers();
    const [size1, size2] = [poemBytes(POEMS[1]).length, poemBytes(POEMS[2]).length];
    const [exact, over] = await Promise.all([
      runCli(cli, ['--max-bytes', String(size1), String(servers[1].port)]),
      runCli(cli, ['--max-bytes', String(size2 - 1), String(servers[2].port)]),
    ]);
    expect(exact.stderr).toBe('');
    expect(exact.code).toBe(0);
    expect(over.stderr).toBe(`Poem failed: 127.0.0.1:${servers[2].port} sent more than ${size2 - 1} bytes\n`);
    expect(over.code).toBe(1);
  });
});

describe('runMain', () => {
  it('ends a program whose main can no longer finish (nothing left to wait on) with one line and status 1, never 0', async () => {
    const script = (main: string): string[] => ['--import', 'tsx', '-e', `require('./lib/cli/shared/program').runMain(${main})`];
    const [stalled, finished] = await Promise.all([
      runProgram(process.execPath, script('() => new Promise(() => {})')),
      runProgram(process.execPath, script('() => new Promise((done) => setTimeout(done, 10))')),
    ]);
    expect([stalled.code, stalled.stderr]).toEqual([1, 'program: stopped before finishing: nothing was left to wait on\n']);
    expect([finished.code, finished.stderr]).toEqual([0, '']);
  });
});
