// Chapter 02's closing notes: the round trip of a blocking call, measured on a worker of its own.
import { describe, expect, it } from 'vitest';
import { IoChannel, ioChannel } from '../../lib/sockets/io-channel';
import { measureBlockingRoundTrip, SocketError } from '../../lib/sockets/index';

describe('measureBlockingRoundTrip', () => {
  it('returns the median round trip, a positive number of microseconds, and stops its worker', async () => {
    const opened: IoChannel[] = [];
    const median = await measureBlockingRoundTrip(50, () => {
      const channel = new IoChannel(0);
      opened.push(channel);
      return channel;
    });
    expect(median).toBeGreaterThan(0);
    expect(Number.isFinite(median)).toBe(true);
    expect(opened).toHaveLength(1);
    expect(opened[0].closed).toBe(true);
    // A closed channel says so rather than sleep for an answer that never comes.
    expect(() => opened[0].call('ping')).toThrow(SocketError);
    expect(() => opened[0].call('ping')).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('leaves the thread’s own I/O worker alone', async () => {
    const own = ioChannel();
    await measureBlockingRoundTrip(10);
    expect(ioChannel()).toBe(own);
    expect(own.call('ping')).toEqual({ data: undefined });
  });

  it('stops its worker when a call fails', async () => {
    let channel: IoChannel | undefined;
    const failing = (): IoChannel => {
      channel = new IoChannel(0);
      const call = channel.call.bind(channel);
      let count = 0;
      channel.call = (op, args) => (++count === 3 ? call('frobnicate') : call(op, args));
      return channel;
    };
    await expect(measureBlockingRoundTrip(10, failing)).rejects.toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(channel?.closed).toBe(true);
  });

  it('rejects a bad number of calls', async () => {
    await expect(measureBlockingRoundTrip(0)).rejects.toThrow('Expected `calls` to be an integer >= 1, got `0` (number)');
    await expect(measureBlockingRoundTrip(1.5)).rejects.toThrow('Expected `calls` to be an integer >= 1, got `1.5` (number)');
  });
});
