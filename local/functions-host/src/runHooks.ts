import type { HookCallback } from './coreContract.js';

/** Runs hooks one after another in registration order; a throwing hook stops the chain. */
export async function runHooks(hooks: readonly HookCallback[], context: unknown): Promise<void> {
  for (const hook of hooks) await hook(context);
}
