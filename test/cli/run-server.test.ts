// Issue 8, defect 1: a server program whose listening port fails must say so and exit non-zero,
// and a running reactor with nothing to wait on must not let its program end with status 0.
import { describe, expect, it } from 'vitest';
import { type Finished, runProgram } from '../helpers/programs';

/** Runs `code` (CommonJS, in an async function) in a child Node with tsx, from the project root; SIGTERM after `seconds`. */
function runScript(code: string, seconds = 20): Promise<Finished> {
  return runProgram(process.execPath, ['--import', 'tsx', '-e', `(async () => {${code}})()`], { seconds, killSignal: 'SIGTERM' });
}

describe('runServer', () => {
  it('reports a listening port that fails on its own, then exits 1', async () => {
    const result = await runScript(`
      const { reactor } = require('./lib/reactor/default');
      const { Factory } = require('./lib/protocol/factory');
      const { BlockingServerSocket } = require('./lib/sockets/blocking-socket');
      const { runServer } = require('./lib/cli/shared/program');
      const port = reactor.listenTCP(0, new Factory());
      // Node listens a turn later: taking the address first makes listening fail (EADDRINUSE).
      const thief = BlockingServerSocket.listen('127.0.0.1', port.getHost().port, 1);
      await runServer(port);
      thief.close();
    `);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stopped listening on port \d+: .*EADDRINUSE/);
  });
});

describe('SelectReactor.run', () => {
  it('keeps its program alive while running, even with nothing to wait on', async () => {
    // Before the fix the program ended at once with status 0; now it runs until killed.
    const result = await runScript(`
      await require('./lib/reactor/default').reactor.run();
    `, 3);
    expect(result).toMatchObject({ code: null, signal: 'SIGTERM' });
  });
});
