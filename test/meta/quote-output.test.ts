import { parseStacktrace } from '@vitest/utils/source-map';
import { describe, expect, it } from 'vitest';
import { quoteOutput } from '../helpers/quote-output';

// A child's stack trace as it reaches a failure message, through tsx's loader.
const CHILD_STDERR = [
  'Error: boom',
  '    at main (/work/lib/cli/fastpoetry.ts:12:9)',
  '    at Object.transformer (/work/node_modules/tsx/dist/register-B1c7OH6V.cjs:3:1104)',
  'at node:internal/main/run_main_module:28:49',
].join('\n');

describe('quoteOutput', () => {
  it('leaves no line that vitest reads as a frame of the test, and keeps the text', () => {
    expect(parseStacktrace(CHILD_STDERR, { ignoreStackEntries: [] })).toHaveLength(3);
    const quoted = quoteOutput(CHILD_STDERR);
    expect(parseStacktrace(quoted, { ignoreStackEntries: [] })).toEqual([]);
    expect(quoted.replace(/\| at /g, 'at ')).toBe(CHILD_STDERR);
  });
});
