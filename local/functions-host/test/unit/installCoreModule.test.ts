import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionRegistry, RegistrationError } from '../../src/FunctionRegistry.js';
import { createCoreApi, installCoreModule } from '../../src/installCoreModule.js';

let uninstall: (() => void) | undefined;
afterEach(() => uninstall?.());

describe('installCoreModule', () => {
  it("answers require('@azure/functions-core') from any require function, as the worker does", () => {
    // Prepare
    const registry = new FunctionRegistry();
    const api = createCoreApi({ registry, log: () => {} });
    // Act
    uninstall = installCoreModule(api);
    const required = createRequire(import.meta.url)('@azure/functions-core');
    // Assess
    expect(required).toBe(api);
    expect(Object.keys(required).sort()).toEqual(
      [
        'Disposable',
        'getProgrammingModel',
        'hostVersion',
        'log',
        'registerFunction',
        'registerHook',
        'setProgrammingModel',
        'version',
      ].sort(),
    );
  });

  it('leaves other modules alone, and can be removed', () => {
    // Prepare
    const require = createRequire(import.meta.url);
    uninstall = installCoreModule({});
    // Act
    uninstall();
    uninstall = undefined;
    // Assess
    expect(require('node:path')).toBeDefined();
    expect(() => require('@azure/functions-core')).toThrow(
      /Cannot find module '@azure\/functions-core'/,
    );
  });
});

describe('FunctionRegistry', () => {
  it('refuses a second function with the same name, ignoring case', () => {
    const registry = new FunctionRegistry();
    registry.registerFunction({ name: 'Hello', bindings: {} }, () => {});
    expect(() => registry.registerFunction({ name: 'hello', bindings: {} }, () => {})).toThrow(
      'A function with the name "hello" has already been registered.',
    );
  });

  it('refuses registrations once the app has loaded', () => {
    const registry = new FunctionRegistry();
    registry.lock();
    expect(() => registry.registerFunction({ name: 'late', bindings: {} }, () => {})).toThrow(
      RegistrationError,
    );
  });

  it('runs hooks in registration order, and forgets a disposed one', () => {
    // Prepare
    const registry = new FunctionRegistry();
    const first = () => 1;
    const second = () => 2;
    registry.registerHook('preInvocation', first);
    const disposable = registry.registerHook('preInvocation', second);
    // Act
    disposable.dispose();
    // Assess
    expect(registry.hooks('preInvocation')).toEqual([first]);
  });

  it('rejects an unknown hook name', () => {
    expect(() => new FunctionRegistry().registerHook('onWhatever', () => {})).toThrow(
      'Unrecognized hook "onWhatever"',
    );
  });
});
