// Shared by the CLIs in lib/cli (tested in test/cli/*.test.ts): options, and one clear line on bad input.
import { readFileSync } from 'node:fs';
import { MAX_TIMER_SECONDS } from '../../time/index';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MAX_BYTES, type PoemLimits } from '../../blocking/poem-limits';
import { describeError } from '../../log/index';
import { reactor } from '../../reactor/default';
import { CannotListenError } from '../../reactor/errors';
import type { IProtocolFactory } from '../../reactor/interfaces';
import type { Port } from '../../reactor/port';
import { LimitTotalConnectionsFactory, TimeoutFactory } from '../../protocol/policies';
import { type Address, parseAddress, parsePort, SocketError } from '../../sockets/index';

/** Bad command-line input: reported as `PROGRAM: error: MESSAGE`, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Option values as `parseArgs` returns them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/**
 * Parses `argv` against `options` (all string- or boolean-valued).
 * @throws UsageError on an unknown option or a missing value.
 */
export function parseOptions(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): { values: OptionValues; positionals: string[] } {
  // `--port -1` means the value -1, not an option: join it as `--port=-1` so the value is checked.
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && /^-\d/.test(argv[i + 1] ?? '')) joined.push(`${arg}=${argv[++i]}`);
    else joined.push(arg);
  }
  try {
    const { values, positionals } = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
    return { values: values as OptionValues, positionals };
  } catch (error) {
    throw new UsageError(describeError(error).split('\n')[0]);
  }
}

/** Parses `--port`. @throws UsageError unless an integer from 0 to 65535. */
export function portOption(value: string | boolean | undefined, fallback = 0): number {
  if (value === undefined) return fallback;
  return usage(() => parsePort(String(value)));
}


/** Parses a number option that must be >= `min` (> `min` when `exclusive`). @throws UsageError */
export function numberOption(name: string, value: string | boolean | undefined, fallback: number, min: number, exclusive = false): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < min || (exclusive && n === min)) {
    throw new UsageError(`--${name} must be a number ${exclusive ? '>' : '>='} ${min}, got \`${value}\``);
  }
  return n;
}

/**
 * Parses a number of seconds to wait (a delay, a timeout): >= `min` (> when `exclusive`), and no
 * longer than a timer can hold, which would otherwise fire at once, again and again.
 * @throws UsageError
 */
export function secondsOption(name: string, value: string | boolean | undefined, fallback: number, min: number, exclusive = false): number {
  const n = numberOption(name, value, fallback, min, exclusive);
  if (n > MAX_TIMER_SECONDS) {
    throw new UsageError(`--${name} must be at most ${MAX_TIMER_SECONDS} seconds (about 24.8 days, what a timer can hold), got \`${value}\``);
  }
  return n;
}

/** Parses an option that must be a whole number >= `min`. @throws UsageError */
export function integerOption(name: string, value: string | boolean | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got \`${value}\``);
  return n;
}

/** Parses `--iface`: the address to listen on, 127.0.0.1 unless given. @throws UsageError when empty. */
export function ifaceOption(value: string | boolean | undefined): string {
  if (value === undefined) return '127.0.0.1';
  // An empty address would bind every interface: whoever means that says 0.0.0.0.
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--iface must be an address such as 127.0.0.1 or 0.0.0.0, got \`${String(value)}\``);
  return value;
}

/** The server policies' defaults: `--idle-timeout` seconds and `--max-connections`. */
export const DEFAULT_IDLE_TIMEOUT = 30;
export const DEFAULT_MAX_CONNECTIONS = 1000;

/** The options of `policyOptions`, for `parseOptions`. */
export const POLICY_OPTIONS = { 'idle-timeout': { type: 'string' }, 'max-connections': { type: 'string' } } as const;

/**
 * Wraps a server's factory in the policies of lib/protocol/policies.ts, as `--idle-timeout
 * SECONDS` (0 for none; default 30) and `--max-connections N` (default 1000) ask.
 * @param idleFrom - when a connection's idle count starts (see TimeoutFactoryOptions).
 * @throws UsageError when an option is malformed.
 */
export function withPolicies(values: OptionValues, factory: IProtocolFactory, idleFrom: 'connect' | 'firstWrite' = 'connect'): IProtocolFactory {
  const idle = secondsOption('idle-timeout', values['idle-timeout'], DEFAULT_IDLE_TIMEOUT, 0);
  const limit = integerOption('max-connections', values['max-connections'], DEFAULT_MAX_CONNECTIONS, 1);
  const timed = idle === 0 ? factory : new TimeoutFactory(factory, { timeoutPeriod: idle, clock: reactor, idleFrom });
  return new LimitTotalConnectionsFactory(timed, { connectionLimit: limit });
}

/** The options every poetry client takes: `--max-bytes N` and `--timeout SECONDS`. */
export const LIMIT_OPTIONS = { 'max-bytes': { type: 'string' }, timeout: { type: 'string' } } as const;

/**
 * Parses `--max-bytes` (an integer >= 1, default 16 MiB) and `--timeout` (seconds > 0, default
 * `timeout`; none when null). @throws UsageError
 */
export function limitOptions(values: OptionValues, timeout: number | null = null): Required<PoemLimits> {
  const maxBytes = integerOption('max-bytes', values['max-bytes'], MAX_BYTES, 1);
  const seconds = values.timeout === undefined ? timeout : secondsOption('timeout', values.timeout, 0, 0, true);
  return { maxBytes, timeout: seconds };
}

/** Parses `[HOST:]PORT` arguments. @throws UsageError when there are none or one is malformed. */
export function addressArguments(positionals: readonly string[]): Address[] {
  if (positionals.length === 0) throw new UsageError('give at least one address, [HOST:]PORT');
  return positionals.map((text) => usage(() => parseAddress(text)));
}

/** Reads a poem file. @throws UsageError when it cannot be read. */
export function readPoem(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read it (${code})`;
    throw new UsageError(`${file}: ${why}`);
  }
}

function programName(): string {
  return path.basename(process.argv[1] ?? 'program');
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new UsageError(describeError(error));
  }
}

/**
 * Runs a program's `main`, turning a UsageError, or a SocketError or CannotListenError, into one
 * line on stderr and a non-zero exit (2 and 1), never a stack trace. Anything else is a bug and
 * keeps its stack. An async `main` that never settles because nothing is left to drive it
 * (a reactor with nothing to watch) ends with one line and status 1, never 0.
 */
export function runMain(main: (argv: string[]) => void | Promise<void>): void {
  const program = programName();
  const fail = (error: unknown): void => {
    if (error instanceof UsageError) {
      process.stderr.write(`${program}: error: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof SocketError || error instanceof CannotListenError) {
      process.stderr.write(`${program}: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  };
  try {
    const done = main(process.argv.slice(2));
    if (done instanceof Promise) {
      let settled = false;
      done.then(
        () => (settled = true),
        (error: unknown) => {
          settled = true;
          fail(error);
        },
      );
      // Node ends a program whose loop has nothing left to wait on with status 0, even halfway.
      process.once('beforeExit', () => {
        if (settled) return;
        process.stderr.write(`${program}: stopped before finishing: nothing was left to wait on\n`);
        process.exitCode = 1;
      });
    }
  } catch (error) {
    fail(error);
  }
}

/**
 * Runs the default reactor for a server until it is stopped. Should one of the `listening` ports
 * fail on its own (its socket broke), the program says so in one line on stderr, stops the
 * reactor (so the caller's cleanup runs) and ends with status 1: a server never lingers, or exits
 * 0, with nothing left to serve.
 */
export async function runServer(...listening: Port[]): Promise<void> {
  for (const port of listening) {
    void port.whenFailed().then((error) => {
      process.stderr.write(`${programName()}: stopped listening on port ${port.getHost().port}: ${error.message}\n`);
      process.exitCode = 1;
      if (reactor.running) reactor.stop();
    });
  }
  await reactor.run();
}

/** Stops the default reactor on SIGINT or SIGTERM, so a server exits cleanly (status 0). */
export function stopOnSignals(): void {
  const stop = (): void => {
    if (reactor.running) reactor.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
