// Chapter 15: the poetry client tested as Part 15 tests it with trial (the original's
// tests/test_poetry.py), in vitest: a fast server listens on a loopback port before each test
// and the test after it returns the port's stopListening() Deferred; a test returns a Deferred
// and the runner waits for it; assertFailure checks that a Deferred fails with a given error;
// and after every test the reactor must be clean, as trial's dirty-reactor check demands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Deferred } from '../../lib/defer/deferred';
import { getPoetry } from '../../lib/poetry/get-poetry';
import { FastPoetryFactory } from '../../lib/poetry/fast-server';
import { ConnectionDone, ConnectionRefusedError } from '../../lib/reactor/errors';
import type { IListeningPort } from '../../lib/reactor/interfaces';
import { freePort } from '../helpers/net';
import { assertFailure, FailureAssertionError, reactorPerTest } from '../helpers/trial';

// A short poem with one character outside ASCII, whose bytes must arrive whole.
const TEST_POEM = 'This is a test.\nThis is only a test.\n…';

// Trial's part: a reactor runs during each test, and must be clean after it.
const reactor = reactorPerTest();

describe('getPoetry, on loopback as trial tests it', () => {
  let port: IListeningPort;
  let portnum: number;

  // setUp: a server on a port the system picks.
  beforeEach(() => {
    port = reactor().listenTCP(0, new FastPoetryFactory(Buffer.from(TEST_POEM)), { interface: '127.0.0.1' });
    portnum = port.getHost().port;
  });

  // tearDown: the runner waits for the Deferred that fires once the port is closed.
  afterEach(() => port.stopListening());

  it('fires with the poem the server sends', () =>
    getPoetry('127.0.0.1', portnum, reactor()).addCallback((poem) => {
      expect(poem).toBe(TEST_POEM);
    }));

  it('fails with ConnectionRefusedError where no server listens', async () =>
    assertFailure(getPoetry('127.0.0.1', await freePort(), reactor()), ConnectionRefusedError));
});

describe('assertFailure', () => {
  it('fires with the error when the Deferred fails with one of the types', async () => {
    const d = new Deferred<string>();
    const checked = assertFailure(d, ConnectionDone, ConnectionRefusedError);
    d.errback(new ConnectionRefusedError('refused'));
    expect(await checked).toBeInstanceOf(ConnectionRefusedError);
  });

  it('fails when the Deferred fires with a result, naming it', async () => {
    const d = new Deferred<string>();
    const checked = assertFailure(d, ConnectionRefusedError).asPromise();
    d.callback('a poem');
    await expect(checked).rejects.toThrow(new FailureAssertionError('Expected a failure with ConnectionRefusedError, got the result "a poem"'));
  });

  it('fails when the Deferred fails with another error, naming it', async () => {
    const d = new Deferred<string>();
    const checked = assertFailure(d, ConnectionRefusedError).asPromise();
    d.errback(new ConnectionDone('closed'));
    await expect(checked).rejects.toThrow(
      new FailureAssertionError('Expected a failure with ConnectionRefusedError, got [Failure instance: ConnectionDone: closed]'),
    );
  });

  it('needs at least one error type', () => {
    expect(() => assertFailure(new Deferred())).toThrow(TypeError);
  });
});
