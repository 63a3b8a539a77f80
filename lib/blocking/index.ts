// Chapter 02, blocking edition: the slow poetry server and the blocking client.
export { blockingClient, type ClientOptions, type ClientResult, getPoetry as getPoetryBlocking } from './client';
export { sendPoetry, serve, type SlowPoetryOptions } from './slow-server';
