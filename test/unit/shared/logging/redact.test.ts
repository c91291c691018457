import { describe, expect, it } from 'vitest';
import { redact, redactText } from '../../../../shared/logging/redact.js';

const jwt =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIiwib2lkIjoiMSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redactText', () => {
  it.each([
    {
      description: 'a bearer token',
      input: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789',
      expected: 'Authorization: Bearer [REDACTED]',
    },
    { description: 'a bare JWT', input: `token=${jwt} end`, expected: 'token=[REDACTED] end' },
    { description: 'a JWT after Bearer', input: `Bearer ${jwt}`, expected: 'Bearer [REDACTED]' },
    {
      description: 'a storage connection string key',
      input:
        'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net',
      expected:
        'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED];EndpointSuffix=core.windows.net',
    },
    {
      description: 'a SharedAccessSignature in a connection string',
      input:
        'BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sig=abc%3D',
      expected: 'BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=[REDACTED]',
    },
    {
      description: 'SAS query parameters in a URL',
      input:
        'PUT https://a.blob.core.windows.net/c/b.json?sv=2024-08-04&se=2026-01-01T00%3A00%3A00Z&sr=b&sp=rw&sig=QkVFRg%3D%3D failed',
      expected:
        'PUT https://a.blob.core.windows.net/c/b.json?sv=[REDACTED]&se=[REDACTED]&sr=[REDACTED]&sp=[REDACTED]&sig=[REDACTED] failed',
    },
    {
      description: 'a function key in the query',
      input: 'POST https://app.azurewebsites.net/api/sandboxes?code=abcDEF123==&x=1',
      expected: 'POST https://app.azurewebsites.net/api/sandboxes?code=[REDACTED]&x=1',
    },
    {
      description: 'an x-functions-key header',
      input: 'x-functions-key: s3cr3t',
      expected: 'x-functions-key: [REDACTED]',
    },
    {
      description: 'a client secret in a form body',
      input: 'grant_type=client_credentials&client_id=abc&client_secret=Zz~8Q_secret&scope=x',
      expected: 'grant_type=client_credentials&client_id=abc&client_secret=[REDACTED]&scope=x',
    },
    {
      description: 'a client secret in JSON text',
      input: '{"client_secret": "Zz~8Q_secret", "tenant": "t"}',
      expected: '{"client_secret": "[REDACTED]", "tenant": "t"}',
    },
    {
      description: 'an access token in JSON text',
      input: '{"access_token":"opaque-token-value","expires_on":"1"}',
      expected: '{"access_token":"[REDACTED]","expires_on":"1"}',
    },
    {
      description: 'ordinary words that mention tokens',
      input: 'Bearer tokens and keys are redacted; the code path is fine',
      expected: 'Bearer tokens and keys are redacted; the code path is fine',
    },
    {
      description: 'an ARM resource id',
      input:
        '/subscriptions/0000/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm',
      expected:
        '/subscriptions/0000/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm',
    },
    {
      description: 'an ARM URL with api-version and $expand',
      input:
        'https://management.azure.com/subscriptions/s/resourcegroups?api-version=2025-04-01&$expand=createdTime',
      expected:
        'https://management.azure.com/subscriptions/s/resourcegroups?api-version=2025-04-01&$expand=createdTime',
    },
  ])('redacts $description', ({ input, expected }) => {
    // Act
    const output = redactText(input);

    // Assess
    expect(output).toBe(expected);
  });
});

describe('redact', () => {
  it.each([
    {
      description: 'secret-named fields at any depth',
      input: {
        request: { headers: { Authorization: 'anything', 'x-functions-key': 'k', accept: 'json' } },
      },
      expected: {
        request: {
          headers: { Authorization: '[REDACTED]', 'x-functions-key': '[REDACTED]', accept: 'json' },
        },
      },
    },
    {
      description: 'secrets inside strings inside arrays',
      input: { urls: ['https://h/p?sig=abc', 'https://h/q'] },
      expected: { urls: ['https://h/p?sig=[REDACTED]', 'https://h/q'] },
    },
    {
      description: 'password, clientSecret and connectionString fields',
      input: {
        password: 'p',
        clientSecret: 'c',
        connectionString: 'UseDevelopmentStorage=true',
        user: 'u',
      },
      expected: {
        password: '[REDACTED]',
        clientSecret: '[REDACTED]',
        connectionString: '[REDACTED]',
        user: 'u',
      },
    },
    {
      description: 'the principal header',
      input: { 'x-ms-client-principal': 'eyJ1c2VySWQiOiIxIn0=' },
      expected: { 'x-ms-client-principal': '[REDACTED]' },
    },
    {
      description: 'plain values as they are',
      input: { n: 1, b: true, nothing: null, list: [1, 'two'] },
      expected: { n: 1, b: true, nothing: null, list: [1, 'two'] },
    },
  ])('redacts $description', ({ input, expected }) => {
    // Act
    const output = redact(input);

    // Assess
    expect(output).toEqual(expected);
  });

  it('turns an error into its safe fields, redacting its message and its cause', () => {
    // Prepare
    const cause = new Error(`token ${jwt} rejected`);
    const error = Object.assign(new Error('GET https://a/b?sig=xyz failed', { cause }), {
      code: 'AuthenticationFailed',
      statusCode: 401,
      request: { headers: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } },
    });

    // Act
    const output = redact({ error }) as { error: Record<string, unknown> };

    // Assess
    expect(output.error).toMatchObject({
      name: 'Error',
      message: 'GET https://a/b?sig=[REDACTED] failed',
      code: 'AuthenticationFailed',
      statusCode: 401,
      cause: { name: 'Error', message: 'token [REDACTED] rejected' },
    });
    expect(output.error).not.toHaveProperty('request');
    expect(JSON.stringify(output)).not.toContain('abcdefghijklmnopqrstuvwxyz');
  });

  it('cuts cycles instead of overflowing the stack', () => {
    // Prepare
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;

    // Act
    const output = redact(node);

    // Assess
    expect(output).toEqual({ name: 'a', self: '[Circular]' });
  });

  it('keeps a shared (not circular) object twice', () => {
    // Prepare
    const shared = { v: 1 };

    // Act
    const output = redact({ a: shared, b: shared });

    // Assess
    expect(output).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it('does not change its input', () => {
    // Prepare
    const input = { headers: { authorization: 'secret' } };

    // Act
    redact(input);

    // Assess
    expect(input.headers.authorization).toBe('secret');
  });
});
