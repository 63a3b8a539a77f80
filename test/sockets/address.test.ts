import { describe, expect, it } from 'vitest';
import { formatAddress, formatAddressTuple, parseAddress, parsePort } from '../../lib/sockets/index';

describe('parseAddress', () => {
  it.each([
    ['10000', ['127.0.0.1', 10000]],
    ['localhost:10001', ['localhost', 10001]],
    [':10002', ['127.0.0.1', 10002]],
    ['[::1]:10003', ['::1', 10003]],
    [' 192.0.2.7:65535 ', ['192.0.2.7', 65535]],
  ])('parses %s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it.each(['', 'host:', 'a:b:c', 'localhost:port', '0', '65536', '-1', '1.5', 'host:99999'])('rejects %j', (text) => {
    expect(() => parseAddress(text)).toThrow(TypeError);
  });
});

describe('parsePort', () => {
  it('takes 0 to 65535 by default and a higher minimum when asked', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(() => parsePort('0', 1)).toThrow('Expected a port number from 1 to 65535, got `0`');
    expect(() => parsePort('1e3')).toThrow(TypeError);
  });
});

describe('formatAddress', () => {
  it('prints host:port as the original clients do, brackets for IPv6', () => {
    expect(formatAddress(['127.0.0.1', 10000])).toBe('127.0.0.1:10000');
    expect(formatAddress(['::1', 10000])).toBe('[::1]:10000');
    expect(formatAddressTuple(['127.0.0.1', 54321])).toBe("('127.0.0.1', 54321)");
  });
});
