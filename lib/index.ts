// Every public name of the library, by layer. Inside lib/ and in notebooks, import from the
// layer's own files instead (tslab cannot resolve a folder to its index).
export * from './sockets/index';
export * from './blocking/index';
export * from './select/index';
export * from './timing/index';
export * from './models/index';
