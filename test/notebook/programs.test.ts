import { execFileSync, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgramsStoppedError, runningPrograms, startPrograms, stopPrograms } from '../../lib/notebook/programs';
import { poem, ROOT } from '../helpers/cli';
import { fetchAll } from '../helpers/net';

const pgid = (pid: number): number => Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(() => stopPrograms('test'));

describe('startPrograms', () => {
  it('starts each program in a process group of its own, so an interrupt of the kernel misses it', async () => {
    const [server] = await startPrograms('test', [{ cli: 'fastpoetry', args: [poem('science')] }]);
    const pid = server.process.pid ?? -1;
    expect(pgid(pid)).toBe(pid);
    expect(pgid(pid)).not.toBe(pgid(process.pid));
    expect((await fetchAll(server.port)).length).toBeGreaterThan(0);
  });

  it('stops the programs of a kernel that died without cleaning up', async () => {
    // A stand-in kernel starts a server, prints its pid, and is then killed outright.
    const kernel = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `require('./lib/notebook/programs').startPrograms('k', [{ cli: 'fastpoetry', args: ['poetry/science.txt'] }]).then(([p]) => console.log(p.process.pid))`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve) => kernel.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));
    expect(alive(pid)).toBe(true);
    kernel.kill('SIGKILL');
    await expect.poll(() => alive(pid), { timeout: 10_000, interval: 100 }).toBe(false);
  });
});

describe('runningPrograms', () => {
  it('gives the running programs of a group, and one clear line once they are stopped', async () => {
    const started = await startPrograms('test', [{ cli: 'fastpoetry', args: [poem('science')] }]);
    expect(runningPrograms('test')).toEqual(started);
    await stopPrograms('test');
    let error: unknown;
    try {
      runningPrograms('test', 'the servers cell');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProgramsStoppedError);
    expect((error as Error).stack).toBe("ProgramsStoppedError: the servers of 'test' are not running: run the servers cell again");
  });
});
