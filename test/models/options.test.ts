import { describe, expect, it } from 'vitest';
import { MAX_TASKS, modelParameters, runAsynchronous, runBlocking, runSynchronous, runThreaded, taskNames } from '../../lib/models/index';
import type { ModelOptions } from '../../lib/models/index';

describe('modelParameters', () => {
  it('fills in the defaults', () => {
    expect(modelParameters()).toEqual({ tasks: 3, steps: 3, work: 0.1, wait: 0 });
    expect(modelParameters({ steps: 5, wait: undefined })).toEqual({ tasks: 3, steps: 5, work: 0.1, wait: 0 });
  });

  it.each([
    [{ work: -1 }, 'Expected `work` to be a number >= 0, got `-1` (number)'],
    [{ wait: Number.NaN }, 'Expected `wait` to be a number >= 0, got `NaN` (number)'],
    [{ wait: Number.POSITIVE_INFINITY }, 'Expected `wait` to be a number >= 0, got `Infinity` (number)'],
    [{ work: '0.1' }, 'Expected `work` to be a number >= 0, got `0.1` (string)'],
    [{ steps: 0 }, 'Expected `steps` to be a whole number from 1 to 1000, got `0` (number)'],
    [{ steps: 1.5 }, 'Expected `steps` to be a whole number from 1 to 1000, got `1.5` (number)'],
    [{ tasks: MAX_TASKS + 1 }, 'Expected `tasks` to be a whole number from 1 to 8, got `9` (number)'],
    [{ wiat: 1 }, 'Expected options among `tasks`, `steps`, `work`, `wait`, got `wiat`'],
  ])('refuses %o', (options, message) => {
    expect(() => modelParameters(options as ModelOptions)).toThrow(new TypeError(message));
  });

  it('refuses options that are not an object', () => {
    expect(() => modelParameters(null as unknown as ModelOptions)).toThrow(
      new TypeError('Expected `options` to be an object, got `null` (object)'),
    );
  });
});

describe('taskNames', () => {
  it('numbers the tasks from 1', () => {
    expect(taskNames(3)).toEqual(['task 1', 'task 2', 'task 3']);
  });
});

describe('every model', () => {
  it('checks its options before it runs anything', async () => {
    const bad = { work: -1 };
    const message = 'Expected `work` to be a number >= 0, got `-1` (number)';
    expect(() => runSynchronous(bad)).toThrow(new TypeError(message));
    expect(() => runBlocking(bad)).toThrow(new TypeError(message));
    await expect(runAsynchronous(bad)).rejects.toThrow(new TypeError(message));
    await expect(runThreaded(bad)).rejects.toThrow(new TypeError(message));
  });
});
