import type { HookCallback } from './coreContract.js';

/** Runs hooks one after another in registration order; a throwing hook stops the chain. */
export async function runHooks(hooks: readonly HookCallback[], context: unknown): Promise<void> {
  // A copy: a hook may dispose of itself (or of another) while the chain runs.
  for (const hook of [...hooks]) await hook(context);
}
