/**
 * The app's one Azure credential: `DefaultAzureCredential`, which resolves to the managed identity
 * on Azure (and on the local emulator, through `IDENTITY_ENDPOINT`/`IDENTITY_HEADER`). There are
 * no secrets anywhere; `AZURE_CLIENT_ID` selects a user-assigned identity.
 *
 * `@azure/identity` is imported lazily: it is one of the heaviest modules and a cold start that
 * never needs a token (a health probe, a validation failure) should not pay for it.
 */
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from './config.js';
import { memoizeAsync } from './memoizeAsync.js';

const credentialFor = memoizeAsync(async (clientId: string) => {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : undefined);
});

/**
 * The process's credential for this identity, created on first use and then shared (it caches
 * tokens, so one per process matters).
 *
 * @example
 * const credential = await createCredential(getConfig());
 */
export function createCredential(config: Pick<AppConfig, 'clientId'>): Promise<TokenCredential> {
  return credentialFor(config.clientId ?? '');
}
