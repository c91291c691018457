import { randomFillSync, randomUUID } from 'node:crypto';
import type {
  CoreInvocationContext,
  InvocationState,
  RpcInvocationRequest,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from './coreContract.js';
import type { FunctionRegistry, RegisteredFunction } from './FunctionRegistry.js';
import type { HostLogger } from './HostLogger.js';
import { runHooks } from './runHooks.js';

export interface InvocationRequest {
  fn: RegisteredFunction;
  /** Shown in the `Executing` line, e.g. `New queue message detected on 'jobs'.` */
  reason: string;
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
  retryContext?: RpcInvocationRequest['retryContext'];
  /**
   * Writes the invocation's output bindings. It runs as part of the invocation, as on the real
   * host: before `Executed` is logged, and a failed write fails the invocation.
   */
  writeOutputs?: (response: RpcInvocationResponse) => Promise<void>;
  traceParent?: string;
  /** The invocation's id, when the caller needs it first (to tag a forwarded HTTP request). */
  invocationId?: string;
}

export interface InvocationOutcome {
  invocationId: string;
  response?: RpcInvocationResponse;
  error?: Error;
  durationMs: number;
}

/** Thrown when an invocation runs past host.json `functionTimeout`. */
export class FunctionTimeoutError extends Error {
  constructor(functionName: string, invocationId: string, timeoutMs: number) {
    super(
      `Timeout value of ${timeoutMs}ms exceeded by function 'Functions.${functionName}' (Id: '${invocationId}').`,
    );
    this.name = 'FunctionTimeoutError';
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Random bytes drawn from a pool: one system call per 170 trace parents, not two per one. */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;

function newTraceParent(): string {
  if (randomOffset + 24 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const traceId = randomPool.toString('hex', randomOffset, randomOffset + 16);
  const spanId = randomPool.toString('hex', randomOffset + 16, randomOffset + 24);
  randomOffset += 24;
  return `00-${traceId}-${spanId}-01`;
}

/**
 * Runs invocations the way the Node.js worker does: through the app's programming model
 * (`getInvocationModel` → `getArguments` → preInvocation hooks → `invokeFunction` →
 * postInvocation hooks → `getResponse`), framed by the host's `Executing`/`Executed` lines.
 */
export class FunctionInvoker {
  readonly #registry: FunctionRegistry;
  readonly #logger: HostLogger;
  readonly #functionTimeout?: number;
  readonly #running = new Set<Promise<unknown>>();

  constructor(registry: FunctionRegistry, logger: HostLogger, functionTimeout?: number) {
    this.#registry = registry;
    this.#logger = logger;
    this.#functionTimeout = functionTimeout;
  }

  get runningCount(): number {
    return this.#running.size;
  }

  /** Resolves once every running invocation has finished, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = (async () => {
      while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
      return true as const;
    })();
    try {
      return await Promise.race([drained, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const promise = this.#invoke(request);
    this.#running.add(promise);
    void promise.finally(() => this.#running.delete(promise));
    return promise;
  }

  async #invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const name = request.fn.metadata.name;
    const invocationId = request.invocationId ?? randomUUID();
    const started = performance.now();
    const fields = { functionName: name, invocationId };
    this.#logger.info(
      `Function.${name}`,
      `Executing 'Functions.${name}' (Reason='${request.reason}', Id=${invocationId})`,
      fields,
    );
    let response: RpcInvocationResponse | undefined;
    let error: Error | undefined;
    try {
      response = await this.#withTimeout(this.#run(request, invocationId), name, invocationId);
      await request.writeOutputs?.(response);
    } catch (caught) {
      error = toError(caught);
    }
    const durationMs = Math.round(performance.now() - started);
    if (error) {
      this.#logger.error(
        `Function.${name}`,
        `Executed 'Functions.${name}' (Failed, Id=${invocationId}, Duration=${durationMs}ms)`,
        { ...fields, durationMs, succeeded: false },
      );
      this.#logger.error(
        `Function.${name}`,
        `Exception while executing function: Functions.${name}. Result: Failure\nException: ${error.message}\nStack: ${error.stack ?? ''}`,
        { ...fields, exception: { name: error.name, message: error.message } },
      );
    } else {
      this.#logger.info(
        `Function.${name}`,
        `Executed 'Functions.${name}' (Succeeded, Id=${invocationId}, Duration=${durationMs}ms)`,
        { ...fields, durationMs, succeeded: true },
      );
    }
    return { invocationId, response, error, durationMs };
  }

  async #withTimeout<T>(work: Promise<T>, name: string, invocationId: string): Promise<T> {
    const limit = this.#functionTimeout;
    if (limit === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(name, invocationId, limit)), limit);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #run(request: InvocationRequest, invocationId: string): Promise<RpcInvocationResponse> {
    const { metadata, callback } = request.fn;
    const model = this.#registry.programmingModel;
    if (!model) throw new Error('The app did not set a programming model.');

    let invocationContext: unknown;
    const registry = this.#registry;
    const logger = this.#logger;
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: metadata.functionId ?? metadata.name,
        inputData: request.inputData,
        triggerMetadata: request.triggerMetadata,
        traceContext: {
          traceParent: request.traceParent ?? newTraceParent(),
          traceState: '',
          attributes: {},
        },
        retryContext: request.retryContext ?? null,
      },
      metadata: {
        name: metadata.name,
        functionId: metadata.functionId ?? metadata.name,
        bindings: metadata.bindings,
        retryOptions: metadata.retryOptions ?? null,
      },
      state: undefined as InvocationState | undefined,
      log(level: RpcLogLevel, category: RpcLogCategory, message: string) {
        emitInvocationLog({
          registry,
          logger,
          invocationContext,
          level,
          category,
          message,
          name: metadata.name,
          invocationId,
        });
      },
    };

    const invocationModel = await model.getInvocationModel(coreCtx);
    const { context, inputs: initialInputs } = await invocationModel.getArguments();
    invocationContext = context;
    const preHooks = registry.hooks('preInvocation');
    const postHooks = registry.hooks('postInvocation');
    if (preHooks.length === 0 && postHooks.length === 0) {
      // No hooks: no hook contexts to build, as most apps have none.
      coreCtx.state = 'invocation';
      let result: unknown;
      try {
        result = await invocationModel.invokeFunction(context, initialInputs, callback);
      } finally {
        coreCtx.state = undefined;
      }
      return invocationModel.getResponse(context, result);
    }
    const hookData: Record<string, unknown> = {};
    const preContext = readonlyHookContext(hookData, registry.appHookData, context, {
      inputs: initialInputs,
      functionCallback: callback,
    });
    coreCtx.state = 'preInvocationHooks';
    try {
      await runHooks(preHooks, preContext);
    } finally {
      coreCtx.state = undefined;
    }
    const inputs = preContext.inputs as unknown[];
    const postContext = readonlyHookContext(hookData, registry.appHookData, context, {
      inputs,
      result: null,
      error: null,
    });
    coreCtx.state = 'invocation';
    try {
      postContext.result = await invocationModel.invokeFunction(
        context,
        inputs,
        preContext.functionCallback as typeof callback,
      );
    } catch (caught) {
      postContext.error = caught;
    } finally {
      coreCtx.state = undefined;
    }
    coreCtx.state = 'postInvocationHooks';
    try {
      await runHooks(postHooks, postContext);
    } finally {
      coreCtx.state = undefined;
    }
    if (postContext.error) throw toError(postContext.error);
    return invocationModel.getResponse(context, postContext.result);
  }
}

/** A hook context whose `hookData`, `appHookData` and `invocationContext` cannot be replaced. */
function readonlyHookContext(
  hookData: Record<string, unknown>,
  appHookData: Record<string, unknown>,
  invocationContext: unknown,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const context: Record<string, unknown> = { ...fields };
  for (const [key, value] of Object.entries({ hookData, appHookData, invocationContext })) {
    Object.defineProperty(context, key, {
      enumerable: true,
      get: () => value,
      set: () => {
        throw new Error(`Cannot assign to read only property '${key}'`);
      },
    });
  }
  return context;
}

interface InvocationLog {
  registry: FunctionRegistry;
  logger: HostLogger;
  invocationContext: unknown;
  level: RpcLogLevel;
  category: RpcLogCategory;
  message: string;
  name: string;
  invocationId: string;
}

let inLogHook = false;

/** Passes a log through the app's `log` hooks (which may rewrite user logs), then prints it. */
export function emitInvocationLog(log: InvocationLog): void {
  let { level, message } = log;
  const hooks = log.registry.hooks('log');
  if (hooks.length > 0 && !inLogHook) {
    const hookContext = {
      hookData: {},
      appHookData: log.registry.appHookData,
      invocationContext: log.invocationContext,
      category: log.category,
      level,
      message,
    };
    inLogHook = true;
    try {
      for (const hook of [...hooks]) hook(hookContext);
    } catch {
      // A failing log hook must not fail the invocation that logged.
    } finally {
      inLogHook = false;
    }
    if (log.category === 'user') {
      level = hookContext.level;
      message = hookContext.message;
    }
  }
  const category = log.category === 'user' ? `Function.${log.name}.User` : `Function.${log.name}`;
  log.logger.log({
    level,
    category,
    message,
    functionName: log.name,
    invocationId: log.invocationId,
    source: log.category,
  });
}
