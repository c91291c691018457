/**
 * A persistent token cache for `@azure/identity`'s device code sign-in, in owner-only files under
 * the CLI's config folder, so `sandbox login --device-code` lasts for the refresh token's life,
 * not one access token's hour. It plugs in where `@azure/identity-cache-persistence` does
 * (`useIdentityPlugin`), as plain files: what the Azure CLI itself keeps on Linux, without the
 * native keychain modules that package needs.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { useIdentityPlugin } from '@azure/identity';
import { tokenCacheFile } from './session.js';

/** The two calls MSAL makes around every use of its cache (msal-node's `ICachePlugin`). */
interface CachePlugin {
  beforeCacheAccess(context: { tokenCache: { deserialize(cache: string): void } }): Promise<void>;
  afterCacheAccess(context: {
    cacheHasChanged: boolean;
    tokenCache: { serialize(): string };
  }): Promise<void>;
}

/** What `@azure/identity` hands a plugin: where to set the cache's persistence. */
interface PluginContext {
  cachePluginControl: {
    setPersistence(provider: (options?: { name?: string }) => Promise<CachePlugin>): void;
  };
}

/**
 * MSAL's cache in `file`, read before each use and written, owner-only, after each change.
 *
 * @example
 * const plugin = fileCachePlugin('/home/ana/.config/sandbox/tokens-sandbox-cli.nocae.json');
 */
export function fileCachePlugin(file: string, configDir: string): CachePlugin {
  return {
    async beforeCacheAccess(context) {
      try {
        context.tokenCache.deserialize(await readFile(file, 'utf8'));
      } catch {
        // No cache yet (or an unreadable one): MSAL starts empty, and sign-in fills it.
      }
    },
    async afterCacheAccess(context) {
      if (!context.cacheHasChanged) return;
      await mkdir(configDir, { recursive: true, mode: 0o700 });
      await writeFile(file, context.tokenCache.serialize(), { mode: 0o600 });
      await chmod(file, 0o600);
    },
  };
}

let installed: string | undefined;

/**
 * Makes `tokenCachePersistenceOptions: { enabled: true, name }` keep MSAL's caches under
 * `configDir`, one file per cache name.
 *
 * @example
 * useFileTokenCache(env.configDir);
 * new DeviceCodeCredential({ tokenCachePersistenceOptions: { enabled: true, name: 'sandbox-cli' } });
 */
export function useFileTokenCache(configDir: string): void {
  if (installed === configDir) return;
  installed = configDir;
  useIdentityPlugin((context) => {
    (context as PluginContext).cachePluginControl.setPersistence(async (options) =>
      fileCachePlugin(tokenCacheFile(configDir, options?.name ?? 'sandbox-cli'), configDir),
    );
  });
}
