// Chapter 16: the errors of the application layer, named as Python raises them in
// twisted.application.service (tested in test/application/service.test.ts).

/** A service tree was used wrongly: two children with one name, a rename under a parent. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** `getServiceNamed` found no child of that name (Python's KeyError from a dict). */
export class KeyError extends Error {
  override name = 'KeyError';
}

/** `removeService` was given a service that is not a child (Python's ValueError from a list). */
export class ValueError extends Error {
  override name = 'ValueError';
}
