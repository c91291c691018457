import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileCachePlugin } from '../../../cli/fileTokenCache.js';
import {
  clearSession,
  loadSession,
  type Session,
  saveSession,
  tokenCacheFile,
} from '../../../cli/session.js';

const session: Session = {
  endpoint: 'https://sandboxes.contoso.com',
  method: 'device-code',
  target: {
    tenantId: 'tenant',
    authority: 'https://login.microsoftonline.com/tenant',
    clientId: 'client',
    scope: 'api://client/access_as_user',
    portalUrl: 'https://portal.azure.com',
  },
  signedInAs: 'ana@contoso.com',
  at: '2026-01-01T10:00:00.000Z',
};

const folder = () => mkdtemp(join(tmpdir(), 'sandbox-cli-test-'));

describe('the saved sign-in', () => {
  it('is read back as saved, from a file only its owner can read', async () => {
    // Prepare
    const dir = join(await folder(), 'sandbox');

    // Act
    await saveSession(dir, session);

    // Assess
    expect(await loadSession(dir)).toEqual(session);
    expect((await stat(join(dir, 'session.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('is none when missing or not one the CLI wrote', async () => {
    // Prepare
    const dir = await folder();
    await writeFile(join(dir, 'session.json'), '{"endpoint":"nope"}');

    // Act and assess
    expect(await loadSession(await folder())).toBeUndefined();
    expect(await loadSession(dir)).toBeUndefined();
  });

  it('is forgotten with every cached token', async () => {
    // Prepare
    const dir = await folder();
    await saveSession(dir, session);
    await writeFile(tokenCacheFile(dir, 'sandbox-cli.nocae'), '{}');
    await writeFile(join(dir, 'other.txt'), 'kept');

    // Act
    await clearSession(dir);

    // Assess
    expect(await readdir(dir)).toEqual(['other.txt']);
  });
});

describe('fileCachePlugin', () => {
  it('keeps MSAL’s cache in an owner-only file, written only when it changed', async () => {
    // Prepare
    const dir = await folder();
    const file = tokenCacheFile(dir, 'sandbox-cli.nocae');
    const plugin = fileCachePlugin(file, dir);
    let loaded = 'nothing';

    // Act
    await plugin.beforeCacheAccess({ tokenCache: { deserialize: (c) => (loaded = c) } });
    await plugin.afterCacheAccess({ cacheHasChanged: false, tokenCache: { serialize: () => 'x' } });
    const before = await readdir(dir);
    await plugin.afterCacheAccess({
      cacheHasChanged: true,
      tokenCache: { serialize: () => '{"a":1}' },
    });
    await plugin.beforeCacheAccess({ tokenCache: { deserialize: (c) => (loaded = c) } });

    // Assess
    expect(before).toEqual([]);
    expect(loaded).toBe('{"a":1}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
