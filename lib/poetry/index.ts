// Poetry over the reactor: servers, the Deferred client, and (later) transforms and the proxy.
export { FastPoetryFactory, FastPoetryProtocol } from './fast-server';
export { getPoetry, PoetryClientFactory, PoetryProtocol } from './get-poetry';
export { type SlowPoetryOptions as ReactorSlowPoetryOptions, SlowPoetryFactory, SlowPoetryProtocol } from './slow-server';
