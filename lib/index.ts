// Every public name of the library, floor by floor (see docs/architecture.md). Re-exports only.
// Inside lib/ and in notebooks, import from the folder's own files instead (tslab cannot resolve
// a folder to its index).
export * from './log/index';
export * from './time/index';
export * from './sockets/index';
export * from './blocking/index';
export * from './select/index';
export * from './timing/index';
export * from './models/index';
export * from './defer/index';
export * from './reactor/index';
export * from './protocol/index';
export * from './application/index';
export * from './poetry/index';
