// Chapter 02: `[HOST:]PORT` addresses, as the original programs parse and print them
// (tested in test/sockets/address.test.ts).

/** A socket address as Python's `getpeername()` returns it: `[host, port]`. */
export type Address = readonly [host: string, port: number];

/** The host used when an address names only a port. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Parses a TCP port number.
 * @throws TypeError unless `text` is an integer from `min` to 65535.
 */
export function parsePort(text: string, min = 0): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < min || port > 65535) {
    throw new TypeError(`Expected a port number from ${min} to 65535, got \`${text}\``);
  }
  return port;
}

/**
 * Parses `[HOST:]PORT` (`10000`, `localhost:10000`, `[::1]:10000`).
 * @throws TypeError when the text is not of that form.
 */
export function parseAddress(text: string): Address {
  const match = /^(?:\[([^\]]+)\]:|([^:]*):)?([^:]*)$/.exec(text.trim());
  if (match === null || match[3] === '') {
    throw new TypeError(`Expected an address of the form [HOST:]PORT, got \`${text}\``);
  }
  const host = match[1] ?? match[2] ?? '';
  return [host === '' ? DEFAULT_HOST : host, parsePort(match[3], 1)];
}

/** Formats an address as the original clients print it: `127.0.0.1:10000`. */
export function formatAddress([host, port]: Address): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Formats an address as Python prints a tuple: `('127.0.0.1', 54321)`. */
export function formatAddressTuple([host, port]: Address): string {
  return `('${host}', ${port})`;
}
