// Chapter 02, blocking edition: the slow poetry server and the blocking client.
export { blockingClient, type ClientOptions, type ClientResult, getPoetry as getPoetryBlocking } from './client';
export { MAX_BYTES, type PoemLimits, poemFailedLine, poemLimits, PoemTooLongError } from './poem-limits';
export { sendPoetry, serve, type SlowPoetryOptions } from './slow-server';
