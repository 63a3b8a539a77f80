// Poetry over the reactor: servers, the Deferred client, and (later) transforms and the proxy.
export { FastPoetryFactory, FastPoetryProtocol } from './fast-server';
export { getPoetry, PoetryClientFactory, type PoetryClientOptions, PoetryProtocol } from './get-poetry';
export { type SlowPoetryOptions as ReactorSlowPoetryOptions, SlowPoetryFactory, SlowPoetryProtocol } from './slow-server';
export {
  AlreadyRunningError,
  DaemonError,
  FileLog,
  isRunning,
  LoggingFastPoetryFactory,
  LoggingFastPoetryProtocol,
  OpenConnections,
  Pidfile,
  stopGracefully,
} from './daemon';
// The proxy's versions share their class names, as the original's files do.
export * as proxy1 from './proxy/proxy-1';
export * as proxy2 from './proxy/proxy-2';
export * as proxy3 from './proxy/proxy-3';
export { cummingsify, reverseLines, shout, TRANSFORMS, type Transform } from './transform/transforms';
export { CannotCummingsify, FlakyCummingsify, GibberishError } from './transform/flaky';
export { TransformFactory, TransformProtocol, TransformService, UnknownTransformError } from './transform/server';
export { TransformClientFactory, TransformClientProtocol, TransformFailedError, transformPoem, TransformProxy } from './transform/client';
