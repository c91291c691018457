import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
} from './coreContract.js';
import { Disposable } from './Disposable.js';

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

/** Thrown when an app registers something the host refuses, as the worker would. */
export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationError';
  }
}

const hookNames: readonly HookName[] = [
  'appStart',
  'appTerminate',
  'preInvocation',
  'postInvocation',
  'log',
];

/**
 * What an app registered through `@azure/functions-core`: its functions, hooks and programming
 * model. One registry per host process, like the worker's app context.
 */
export class FunctionRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  /** Shared by every hook, at app and invocation scope. */
  readonly appHookData: Record<string, unknown> = {};
  /** `hookData` of the app-scope hooks: appStart and appTerminate share it. */
  readonly appLevelHookData: Record<string, unknown> = {};
  programmingModel?: ProgrammingModel;
  #hooks = new Map<HookName, HookCallback[]>(hookNames.map((name) => [name, []]));
  #locked = false;

  /** Stops further registrations once the app has loaded, as the worker does after indexing. */
  lock(): void {
    this.#locked = true;
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.#locked) {
      throw new RegistrationError('A function can only be registered during app startup.');
    }
    const key = metadata.name.toLowerCase();
    if (this.functions.has(key)) {
      throw new RegistrationError(
        `A function with the name "${metadata.name}" has already been registered.`,
      );
    }
    this.functions.set(key, { metadata, callback });
    return new Disposable(() => {
      if (this.#locked) {
        throw new RegistrationError('A function can only be disposed during app startup.');
      }
      this.functions.delete(key);
    });
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    const hooks = this.#hooks.get(name as HookName);
    if (!hooks) {
      throw new RangeError(`Unrecognized hook "${name}"`);
    }
    hooks.push(callback);
    return new Disposable(() => {
      const index = hooks.indexOf(callback);
      if (index >= 0) hooks.splice(index, 1);
    });
  }

  /** The hooks registered under `name`, in order. Do not modify. */
  hooks(name: HookName): readonly HookCallback[] {
    return this.#hooks.get(name) ?? [];
  }
}
