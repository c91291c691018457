/**
 * What the host will run for each of an app's functions, decided from the functions' metadata and
 * the app settings alone: no storage, no network. The host then carries the plan out
 * (`createListeners`). Anything the host cannot run is refused here, before anything starts,
 * naming the function and the feature.
 */
import { BindingIO } from './BindingIO.js';
import { type BlobPathPattern, parseBlobPathPattern } from './BlobTriggerListener.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import { parseSchedule, type Schedule } from './parseSchedule.js';
import { isFunctionDisabled } from './readLocalSettings.js';
import { resolveAppSettings } from './resolveBindingExpression.js';
import { StorageConnections } from './StorageConnections.js';

/** Thrown when an app uses a feature this host does not run; names the function and the feature. */
export class UnsupportedFeatureError extends Error {
  constructor(functionName: string, feature: string) {
    super(
      `Function 'Functions.${functionName}' uses ${feature}, which this local host does not support. See local/functions-host/README.md for what it runs.`,
    );
    this.name = 'UnsupportedFeatureError';
  }
}

/** Thrown when the host cannot start one of the app's functions; names the function. */
export class HostStartupError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'HostStartupError';
  }
}

interface PlanBase {
  fn: RegisteredFunction;
  /** The trigger binding's name, the invocation's input. */
  triggerName: string;
  /** The trigger's binding type, as the host lists it (`httpTrigger`, …). */
  type: string;
}

/** One function's trigger, as the host will run it. */
export type TriggerPlan =
  | (PlanBase & { kind: 'disabled' })
  | (PlanBase & { kind: 'http' })
  | (PlanBase & { kind: 'timer'; schedule: Schedule; runOnStartup: boolean; useMonitor: boolean })
  | (PlanBase & { kind: 'queue'; queueName: string; connection: string })
  | (PlanBase & { kind: 'blob'; pattern: BlobPathPattern; connection: string });

/** The trigger binding of a function: its name and its metadata. */
export function triggerOf(fn: RegisteredFunction): [string, Record<string, unknown>] | undefined {
  return Object.entries(fn.metadata.bindings).find(
    ([, b]) => b.direction === 'in' && String(b.type).endsWith('Trigger'),
  );
}

/**
 * The plan for each function that has a trigger (functions without one are not run).
 *
 * @example
 * planTriggers(registry.functions.values(), env); // [{ kind: 'http', fn, … }, { kind: 'timer', schedule, … }]
 */
export function planTriggers(
  functions: Iterable<RegisteredFunction>,
  env: Record<string, string | undefined>,
): TriggerPlan[] {
  const plans: TriggerPlan[] = [];
  for (const fn of functions) {
    try {
      const plan = planTrigger(fn, env);
      if (plan) plans.push(plan);
    } catch (error) {
      if (error instanceof UnsupportedFeatureError) throw error;
      throw new HostStartupError(
        `The listener for function 'Functions.${fn.metadata.name}' was unable to start: ${(error as Error).message}`,
        error,
      );
    }
  }
  return plans;
}

function planTrigger(
  fn: RegisteredFunction,
  env: Record<string, string | undefined>,
): TriggerPlan | undefined {
  const name = fn.metadata.name;
  const trigger = triggerOf(fn);
  if (!trigger) return undefined;
  const [triggerName, binding] = trigger;
  const base = { fn, triggerName, type: String(binding.type) };
  if (isFunctionDisabled(name, env)) return { ...base, kind: 'disabled' };
  for (const unsupported of BindingIO.unsupportedBindings(fn)) {
    throw new UnsupportedFeatureError(name, `a '${unsupported}' binding`);
  }
  switch (base.type) {
    case 'httpTrigger':
      return { ...base, kind: 'http' };
    case 'timerTrigger':
      return {
        ...base,
        kind: 'timer',
        schedule: parseSchedule(resolveAppSettings(String(binding.schedule), env)),
        runOnStartup: binding.runOnStartup === true,
        useMonitor: binding.useMonitor !== false,
      };
    case 'queueTrigger':
      return {
        ...base,
        kind: 'queue',
        queueName: resolveAppSettings(String(binding.queueName), env).toLowerCase(),
        connection: StorageConnections.connectionName(binding),
      };
    case 'blobTrigger':
      if (String(binding.source ?? 'LogsAndContainerScan').toLowerCase() === 'eventgrid') {
        throw new UnsupportedFeatureError(
          name,
          "a blob trigger with source 'EventGrid' (Azurite publishes no Event Grid events, so it would never fire; use the default source, LogsAndContainerScan)",
        );
      }
      return {
        ...base,
        kind: 'blob',
        pattern: parseBlobPathPattern(resolveAppSettings(String(binding.path), env)),
        connection: StorageConnections.connectionName(binding),
      };
    default:
      throw new UnsupportedFeatureError(name, `a '${base.type}' trigger`);
  }
}
