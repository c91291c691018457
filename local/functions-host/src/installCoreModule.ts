import Module from 'node:module';
import type { RpcLogCategory, RpcLogLevel } from './coreContract.js';
import { Disposable } from './Disposable.js';
import type { FunctionRegistry } from './FunctionRegistry.js';

/** The worker version this host stands in for; apps may log it. */
export const workerVersion = '3.10.1-local';
export const hostVersion = '4.1037.0-local';

export interface CoreApiOptions {
  registry: FunctionRegistry;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

/** The object that `require('@azure/functions-core')` answers with. */
export function createCoreApi({ registry, log }: CoreApiOptions) {
  return {
    version: workerVersion,
    hostVersion,
    registerFunction: registry.registerFunction.bind(registry),
    registerHook: registry.registerHook.bind(registry),
    setProgrammingModel(model: FunctionRegistry['programmingModel']) {
      registry.programmingModel = model;
    },
    getProgrammingModel() {
      return registry.programmingModel;
    },
    log,
    Disposable,
  };
}

/**
 * Makes `@azure/functions-core` resolvable the way the Node.js worker does: by intercepting
 * `Module.prototype.require`, which every CommonJS `require` and every `createRequire` function
 * goes through. Returns a function that removes the interception.
 *
 * @example
 * const uninstall = installCoreModule(createCoreApi({ registry, log }));
 */
export function installCoreModule(coreApi: object): () => void {
  const original = Module.prototype.require;
  Module.prototype.require = new Proxy(original, {
    apply(target, thisArg, args: unknown[]) {
      if (args[0] === '@azure/functions-core') return coreApi;
      return Reflect.apply(target, thisArg, args);
    },
  });
  return () => {
    Module.prototype.require = original;
  };
}
