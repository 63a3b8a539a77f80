// A program's output quoted in a failure message.

/**
 * `text` with every stack-frame line (`at FILE:LINE:COL`) marked with `| `. Vitest reads each such
 * line of a failure's message as a frame of the test's own stack and opens FILE for a source map;
 * tsx's dist files hold a line that looks like an inline source map, and reading it crashes the
 * reporter, so the run fails with a JSON SyntaxError that hides which test failed and why.
 */
export const quoteOutput = (text: string): string => text.replace(/^(\s*)at /gm, '$1| at ');
