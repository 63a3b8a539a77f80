// Chapter 16 (the application layer: services, twisted.application). Tests: test/application/.
// Re-exports only.
export type * from './interfaces';
export { KeyError, RuntimeError, ValueError } from './errors';
export { Application, MultiService, Service } from './service';
export { TCPServer } from './internet';
export type { TCPServerOptions } from './internet';
