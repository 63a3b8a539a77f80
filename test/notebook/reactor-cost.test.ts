import { describe, expect, it } from 'vitest';
import { idleCpuSeconds, turnSeconds } from '../../lib/notebook/reactor-cost';
import { expectClean, REACTORS } from '../helpers/reactor';

describe.each(REACTORS)('%s', (_name, Reactor) => {
  it('turnSeconds opens the connections, times the turns and leaves nothing behind', async () => {
    const reactor = new Reactor();
    const seconds = await turnSeconds(reactor, 50, 20, 3);
    expect(seconds).toBeGreaterThan(0);
    expect(Number.isFinite(seconds)).toBe(true);
    expectClean(reactor);
  });

  it('turnSeconds says so when the connections cannot all be opened in time', async () => {
    const reactor = new Reactor();
    await expect(turnSeconds(reactor, 50, 20, 3, 0)).rejects.toThrow(/^only 0 of 50 connections opened in 0 s/);
    expectClean(reactor);
  });

  it('idleCpuSeconds runs the reactor for the time asked and reports the CPU time used', async () => {
    const reactor = new Reactor();
    const start = performance.now();
    const cpu = await idleCpuSeconds(reactor, 0.1);
    expect(performance.now() - start).toBeGreaterThanOrEqual(100);
    expect(cpu).toBeGreaterThanOrEqual(0);
    expectClean(reactor);
  });
});
