import { describe, expect, it } from 'vitest';
import type { CoreInvocationContext, ProgrammingModel } from '../../src/coreContract.js';
import { FunctionInvoker } from '../../src/FunctionInvoker.js';
import { FunctionRegistry } from '../../src/FunctionRegistry.js';
import { HostLogger } from '../../src/HostLogger.js';

/** A programming model that records what the host asked of it. */
function recordingModel(calls: string[]): ProgrammingModel {
  return {
    name: 'recording',
    version: '1',
    getInvocationModel(core: CoreInvocationContext) {
      calls.push(`getInvocationModel ${core.metadata.name}`);
      return {
        async getArguments() {
          calls.push('getArguments');
          return { context: { id: core.invocationId }, inputs: ['input'] };
        },
        async invokeFunction(_context, inputs, callback) {
          calls.push(`invokeFunction state=${core.state}`);
          core.log('information', 'user', 'from the function');
          return callback(...inputs);
        },
        async getResponse(_context, result) {
          calls.push(`getResponse ${String(result)}`);
          return { invocationId: core.invocationId, returnValue: { string: String(result) } };
        },
      };
    },
  };
}

function setup(callback: (...args: unknown[]) => unknown) {
  const calls: string[] = [];
  const lines: string[] = [];
  const registry = new FunctionRegistry();
  registry.programmingModel = recordingModel(calls);
  registry.registerFunction({ name: 'f', bindings: {} }, callback);
  const logger = new HostLogger({ format: 'json', write: (line) => lines.push(line) });
  return {
    calls,
    lines,
    registry,
    invoker: new FunctionInvoker(registry, logger),
    fn: registry.functions.get('f')!,
  };
}

describe('FunctionInvoker', () => {
  it('drives the programming model in the worker’s order, with hooks around the function', async () => {
    // Prepare
    const { calls, registry, invoker, fn } = setup((input) => `ran with ${input}`);
    registry.registerHook('preInvocation', (ctx) => {
      const c = ctx as { inputs: unknown[]; hookData: Record<string, unknown> };
      calls.push('preInvocation');
      c.inputs = ['changed input'];
      c.hookData.seen = true;
    });
    registry.registerHook('postInvocation', (ctx) => {
      const c = ctx as { result: unknown; hookData: Record<string, unknown> };
      calls.push(`postInvocation hookData.seen=${c.hookData.seen}`);
      c.result = `${c.result}, then post`;
    });
    // Act
    const outcome = await invoker.invoke({
      fn,
      reason: 'test',
      inputData: [],
      triggerMetadata: {},
    });
    // Assess
    expect(calls).toEqual([
      'getInvocationModel f',
      'getArguments',
      'preInvocation',
      'invokeFunction state=invocation',
      'postInvocation hookData.seen=true',
      'getResponse ran with changed input, then post',
    ]);
    expect(outcome.error).toBeUndefined();
  });

  it('logs Executing and Executed lines, and the function’s logs between them', async () => {
    // Prepare
    const { lines, invoker, fn } = setup(() => 'ok');
    // Act
    const { invocationId } = await invoker.invoke({
      fn,
      reason: 'Because',
      inputData: [],
      triggerMetadata: {},
    });
    // Assess
    const messages = lines.map((l) => JSON.parse(l).message as string);
    expect(messages[0]).toBe(`Executing 'Functions.f' (Reason='Because', Id=${invocationId})`);
    expect(messages[1]).toBe('from the function');
    expect(messages[2]).toMatch(
      new RegExp(`^Executed 'Functions\\.f' \\(Succeeded, Id=${invocationId}, Duration=\\d+ms\\)$`),
    );
  });

  it('reports a failure the postInvocation hooks leave in place, and logs it as Failed', async () => {
    // Prepare
    const { lines, invoker, fn } = setup(() => {
      throw new Error('boom');
    });
    // Act
    const outcome = await invoker.invoke({ fn, reason: 'r', inputData: [], triggerMetadata: {} });
    // Assess
    expect(outcome.error?.message).toBe('boom');
    expect(lines.some((l) => l.includes('(Failed, Id='))).toBe(true);
  });

  it('lets a postInvocation hook clear the error', async () => {
    // Prepare
    const { registry, invoker, fn } = setup(() => {
      throw new Error('boom');
    });
    registry.registerHook('postInvocation', (ctx) => {
      (ctx as { error: unknown; result: unknown }).error = null;
      (ctx as { result: unknown }).result = 'recovered';
    });
    // Act
    const outcome = await invoker.invoke({ fn, reason: 'r', inputData: [], triggerMetadata: {} });
    // Assess
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.returnValue).toEqual({ string: 'recovered' });
  });

  it('refuses to replace hookData on a hook context', async () => {
    const { registry, invoker, fn } = setup(() => 'ok');
    registry.registerHook('preInvocation', (ctx) => {
      (ctx as { hookData: unknown }).hookData = {};
    });
    const outcome = await invoker.invoke({ fn, reason: 'r', inputData: [], triggerMetadata: {} });
    expect(outcome.error?.message).toBe("Cannot assign to read only property 'hookData'");
  });

  it('waits for running invocations when draining', async () => {
    // Prepare
    let release: () => void = () => {};
    const { invoker, fn } = setup(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const running = invoker.invoke({ fn, reason: 'r', inputData: [], triggerMetadata: {} });
    // Act
    const early = await invoker.drain(10);
    release();
    const late = await invoker.drain(1000);
    // Assess
    expect([early, late]).toEqual([false, true]);
    await running;
  });

  it('passes user logs through log hooks, which may rewrite them', async () => {
    // Prepare
    const { lines, registry, invoker, fn } = setup(() => 'ok');
    registry.registerHook('log', (ctx) => {
      const c = ctx as { category: string; message: string; level: string };
      if (c.category === 'user') {
        c.message = `[redacted] ${c.message}`;
        c.level = 'warning';
      }
    });
    // Act
    await invoker.invoke({ fn, reason: 'r', inputData: [], triggerMetadata: {} });
    // Assess
    const user = lines.map((l) => JSON.parse(l)).find((e) => e.category === 'Function.f.User');
    expect(user).toMatchObject({ level: 'warning', message: '[redacted] from the function' });
  });

  it('writes the output bindings as part of the invocation, before it is reported', async () => {
    // Prepare
    const { lines, invoker, fn } = setup(() => 'result');
    const order: string[] = [];

    // Act
    const outcome = await invoker.invoke({
      fn,
      reason: 'test',
      inputData: [],
      triggerMetadata: {},
      writeOutputs: async (response) => {
        order.push(`outputs ${response.returnValue?.string}`);
        order.push(...lines.filter((l) => l.includes("Executed 'Functions.f'")));
      },
    });

    // Assess
    expect(outcome.error).toBeUndefined();
    expect(order).toEqual(['outputs result']);
    expect(lines.some((l) => l.includes("Executed 'Functions.f' (Succeeded"))).toBe(true);
  });

  it('fails the invocation when its output bindings cannot be written', async () => {
    // Prepare
    const { lines, invoker, fn } = setup(() => 'result');

    // Act
    const outcome = await invoker.invoke({
      fn,
      reason: 'test',
      inputData: [],
      triggerMetadata: {},
      writeOutputs: async () => {
        throw new Error('The specified container does not exist.');
      },
    });

    // Assess
    expect(outcome.error?.message).toBe('The specified container does not exist.');
    expect(lines.some((l) => l.includes("Executed 'Functions.f' (Failed"))).toBe(true);
  });
});

describe('FunctionInvoker ids and state', () => {
  it('uses the invocation id it is given, and runs an app without hooks in the invocation state', async () => {
    // Prepare
    const { calls, invoker, fn } = setup((input) => `ran with ${input}`);
    // Act
    const outcome = await invoker.invoke({
      fn,
      invocationId: 'given-id',
      reason: 'test',
      inputData: [],
      triggerMetadata: {},
    });
    // Assess
    expect(outcome.invocationId).toBe('given-id');
    expect(outcome.response?.returnValue).toEqual({ string: 'ran with input' });
    expect(calls).toContain('invokeFunction state=invocation');
  });
});
