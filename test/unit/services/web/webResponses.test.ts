import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientConfig } from '../../../../services/web/clientConfig.js';
import { contentSecurityPolicy } from '../../../../services/web/contentSecurityPolicy.js';
import { DirectoryWebAssets } from '../../../../services/web/WebAssets.js';
import { assetResponse, pageResponse } from '../../../../services/web/webResponses.js';
import { loadConfig } from '../../../../shared/config.js';

const file = {
  body: Buffer.from('<!doctype html>'),
  contentType: 'text/html; charset=utf-8',
  etag: '"abc"',
};

describe('contentSecurityPolicy', () => {
  it('allows scripts and styles from the app only, and the identity provider for sign-in', () => {
    expect(contentSecurityPolicy('https://login.microsoftonline.com')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' https://login.microsoftonline.com; frame-src https://login.microsoftonline.com; form-action 'self' https://login.microsoftonline.com; manifest-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
    );
  });

  it('never allows inline script, eval or any origin', () => {
    const policy = contentSecurityPolicy('https://login.microsoftonline.com');
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('pageResponse', () => {
  it('answers the page to be revalidated every time, framed by nobody', () => {
    // Act
    const response = pageResponse(file, 'https://login.microsoftonline.com', null);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'cache-control': 'no-cache',
      etag: '"abc"',
      'content-type': 'text/html; charset=utf-8',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('answers 304 without a body when the browser holds this page', () => {
    const response = pageResponse(file, 'https://login.microsoftonline.com', 'W/"old", "abc"');
    expect([response.status, response.body]).toEqual([304, undefined]);
  });
});

describe('assetResponse', () => {
  it('lets browsers keep a hashed asset for a year', () => {
    expect(assetResponse(file, null).headers).toMatchObject({
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });
});

describe('DirectoryWebAssets', () => {
  const built = async () => {
    const directory = await mkdtemp(join(tmpdir(), 'web-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html>');
    await writeFile(join(directory, 'assets', 'app-ABCD1234.js'), 'export {};');
    await writeFile(join(directory, 'secret.txt'), 'no');
    return new DirectoryWebAssets(directory);
  };

  it('reads the page and hashed assets with their types', async () => {
    const assets = await built();
    expect((await assets.page()).contentType).toBe('text/html; charset=utf-8');
    expect((await assets.asset('app-ABCD1234.js'))?.contentType).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it.each(['../secret.txt', 'app.js', 'app-ABCD1234.exe', 'missing-ABCD1234.js'])(
    'has no asset named %s',
    async (name) => {
      expect(await (await built()).asset(name)).toBeUndefined();
    },
  );

  it('says how to fix a deployment without the page', async () => {
    const assets = new DirectoryWebAssets('/nowhere/web');
    await expect(assets.page()).rejects.toThrow(
      "The web page's files are not in /nowhere/web: build the app with npm run build.",
    );
  });
});

describe('clientConfig', () => {
  it('tells a browser how to sign in, and nothing secret', () => {
    // Prepare
    const config = loadConfig({
      AZURE_SUBSCRIPTION_ID: 'sub-1',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_API_CLIENT_ID: '66666666-7777-4888-8999-000000000000',
    });

    // Act
    const answer = clientConfig(config);

    // Assess
    expect(answer).toEqual({
      tenantId: '11111111-2222-4333-8444-555555555555',
      authority: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555',
      clientId: '66666666-7777-4888-8999-000000000000',
      scopes: ['api://66666666-7777-4888-8999-000000000000/access_as_user'],
      knownAuthorities: ['login.microsoftonline.com'],
      portalUrl: 'https://portal.azure.com',
      openApiUrl: '/api/openapi.json',
    });
  });
});
