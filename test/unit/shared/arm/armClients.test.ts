import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import {
  clientRequestId,
  correlationPolicy,
  resourceGroupsExpandPolicy,
} from '../../../../shared/arm/armClients.js';
import { runWithCorrelation } from '../../../../shared/correlation.js';

/** Sends a request through one policy and returns the request as the next policy saw it. */
async function through(
  policy: ReturnType<typeof correlationPolicy>,
  request: PipelineRequest,
): Promise<PipelineRequest> {
  let seen: PipelineRequest | undefined;
  await policy.sendRequest(request, async (r): Promise<PipelineResponse> => {
    seen = r;
    return { request: r, status: 200, headers: createHttpHeaders() };
  });
  if (!seen) throw new Error('the policy did not call next');
  return seen;
}

describe('clientRequestId', () => {
  it.each([
    { correlation: { operationId: 'op-1', invocationId: 'inv-9' }, expected: 'op-1:inv-9:r1' },
    { correlation: { operationId: 'op-1' }, expected: 'op-1:-:r1' },
    { correlation: { invocationId: 'inv-9' }, expected: '-:inv-9:r1' },
    { correlation: { operationId: 'x'.repeat(100) }, expected: `${'x'.repeat(64)}:-:r1` },
  ])('is $expected', ({ correlation, expected }) => {
    // Act & Assess
    expect(clientRequestId(correlation, 'r1')).toBe(expected);
  });
});

describe('correlationPolicy', () => {
  it('stamps the current operation and invocation on the request', async () => {
    // Prepare
    const request = createPipelineRequest({ url: 'https://arm/subscriptions/s/resourcegroups/rg' });
    request.headers.set('x-ms-client-request-id', 'random-from-the-sdk');
    const operationId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

    // Act
    const seen = await runWithCorrelation({ operationId, invocationId: 'inv-1' }, () =>
      through(correlationPolicy(), request),
    );

    // Assess
    expect(seen.headers.get('x-ms-client-request-id')).toBe(
      `${operationId}:inv-1:${request.requestId}`,
    );
    expect(seen.headers.get('x-ms-correlation-request-id')).toBe(operationId);
  });

  it('sends no correlation header for an operation id that is not a GUID', async () => {
    // Prepare
    const request = createPipelineRequest({ url: 'https://arm/x' });

    // Act
    const seen = await runWithCorrelation({ operationId: 'op-1' }, () =>
      through(correlationPolicy(), request),
    );

    // Assess
    expect(seen.headers.get('x-ms-client-request-id')).toBe(`op-1:-:${request.requestId}`);
    expect(seen.headers.has('x-ms-correlation-request-id')).toBe(false);
  });

  it('leaves the SDK’s id alone outside any correlation', async () => {
    // Prepare
    const request = createPipelineRequest({ url: 'https://arm/x' });
    request.headers.set('x-ms-client-request-id', 'random-from-the-sdk');

    // Act
    const seen = await through(correlationPolicy(), request);

    // Assess
    expect(seen.headers.get('x-ms-client-request-id')).toBe('random-from-the-sdk');
  });

  it('merges nested correlations', async () => {
    // Prepare
    const request = createPipelineRequest({ url: 'https://arm/x' });

    // Act
    const seen = await runWithCorrelation({ invocationId: 'inv-1' }, () =>
      runWithCorrelation({ operationId: 'op-2' }, () => through(correlationPolicy(), request)),
    );

    // Assess
    expect(seen.headers.get('x-ms-client-request-id')).toBe(`op-2:inv-1:${request.requestId}`);
  });
});

describe('resourceGroupsExpandPolicy', () => {
  it.each([
    {
      description: 'the group list',
      method: 'GET' as const,
      url: 'https://arm/subscriptions/s/resourcegroups?api-version=2025-04-01',
      expand: 'createdTime',
    },
    {
      description: 'a nextLink page without $expand',
      method: 'GET' as const,
      url: 'https://arm/subscriptions/s/resourceGroups?api-version=2025-04-01&%24skiptoken=abc',
      expand: 'createdTime',
    },
    {
      description: 'a list that already expands',
      method: 'GET' as const,
      url: 'https://arm/subscriptions/s/resourcegroups?$expand=changedTime',
      expand: 'changedTime',
    },
    {
      // ARM answers `$expand=createdTime` on a group's GET as on the list (Azure/azure-powershell#27865).
      description: 'one group',
      method: 'GET' as const,
      url: 'https://arm/subscriptions/s/resourcegroups/rg-1?api-version=1',
      expand: 'createdTime',
    },
    {
      description: 'resources in a group',
      method: 'GET' as const,
      url: 'https://arm/subscriptions/s/resourcegroups/rg-1/resources',
      expand: null,
    },
    {
      description: 'a PUT',
      method: 'PUT' as const,
      url: 'https://arm/subscriptions/s/resourcegroups',
      expand: null,
    },
  ])('expands $description: $expand', async ({ method, url, expand }) => {
    // Prepare
    const request = createPipelineRequest({ url, method });

    // Act
    const seen = await through(resourceGroupsExpandPolicy(), request);

    // Assess
    expect(new URL(seen.url).searchParams.get('$expand')).toBe(expand);
  });
});
