import { afterEach, describe, expect, it } from 'vitest';
import { select } from '../../lib/sockets/index';
import { closeAll, connectedPair } from '../helpers/nonblocking';

afterEach(closeAll);

describe('select', () => {
  it('resolves at once with the sockets already ready', async () => {
    const [client, server] = await connectedPair();
    const [readable, writable] = await select([client, server], [client], 5);
    expect(readable).toEqual([]);
    expect(writable).toEqual([client]);
  });

  it('wakes on the first socket that becomes readable, and only lists ready ones', async () => {
    const [a1, a2] = await connectedPair();
    const [b1, b2] = await connectedPair();
    const waiting = select([a1, b1], [], 5);
    setTimeout(() => b2.send('x'), 20);
    const [readable] = await waiting;
    expect(readable).toEqual([b1]);
    a2.send('y');
    const [both] = await select([a1, b1], [], 5);
    expect(both.length).toBeGreaterThanOrEqual(1);
  });

  it('resolves with empty lists on timeout', async () => {
    const [client] = await connectedPair();
    const started = performance.now();
    expect(await select([client], [], 0.05)).toEqual([[], []]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(await select([client], [], 0)).toEqual([[], []]);
  });

  it('rejects a negative timeout', () => {
    expect(() => select([], [], -1)).toThrow('Expected `timeoutSeconds` to be a number >= 0, got `-1` (number)');
  });
});
