import { describe, expect, it } from 'vitest';
import { parseAzureResourceEvent } from '../../../../services/azureEvents/AzureResourceEvent.js';
import { classifyAzureEvent } from '../../../../services/azureEvents/classifyAzureEvent.js';
import {
  APP,
  appOwnClaims,
  type EventSpec,
  groupTagsUri,
  groupUri,
  resourceEvent,
  SUB,
  userClaims,
} from '../../../support/azureEvents/azureEventFactory.js';

const self = { clientId: APP.clientId };
const ana = userClaims('ana@contoso.com', 'oid-ana');
const at = '2026-03-01T12:00:00Z';
const classify = (spec: Partial<EventSpec>) =>
  classifyAzureEvent(
    parseAzureResourceEvent(
      resourceEvent({ resourceUri: groupUri('rg-ana'), claims: ana, eventTime: at, ...spec }),
    ),
    self,
  );

describe('classifyAzureEvent', () => {
  it("is a group's write, by whom", () => {
    // Act & Assess
    expect(classify({})).toMatchObject({
      kind: 'group-written',
      target: { subscriptionId: SUB, resourceGroup: 'rg-ana', scope: 'group' },
      principal: { kind: 'user', label: 'ana@contoso.com' },
      own: false,
    });
  });

  it("is a write to a group's tags", () => {
    // Act & Assess
    expect(
      classify({
        resourceUri: groupTagsUri('rg-ana'),
        operationName: 'Microsoft.Resources/tags/write',
      }),
    ).toMatchObject({ kind: 'group-tags-written', target: { scope: 'tags' } });
  });

  it("is a group's delete", () => {
    // Act & Assess
    expect(classify({ kind: 'Delete' })).toMatchObject({ kind: 'group-deleted', own: false });
  });

  it("ignores the app's own writes, so its tag writes never loop", () => {
    // Act & Assess
    expect(classify({ claims: appOwnClaims })).toEqual({ kind: 'ignored', reason: 'own-write' });
    expect(classify({ claims: appOwnClaims, resourceUri: groupTagsUri('rg-ana') })).toEqual({
      kind: 'ignored',
      reason: 'own-write',
    });
  });

  it("still hears of the app's own deletes", () => {
    // Act & Assess
    expect(classify({ kind: 'Delete', claims: appOwnClaims })).toMatchObject({
      kind: 'group-deleted',
      own: true,
    });
  });

  it.each([
    { description: 'an action', spec: { kind: 'Action' } },
    { description: 'a failed write', spec: { outcome: 'Failure' } },
    { description: 'a cancelled delete', spec: { kind: 'Delete', outcome: 'Cancel' } },
  ] as const)('ignores $description', ({ spec }) => {
    // Act & Assess
    expect(classify(spec)).toEqual({ kind: 'ignored', reason: 'not-a-write-or-delete' });
  });

  it('ignores a write to a resource inside a group', () => {
    // Act & Assess
    expect(
      classify({
        resourceUri: `${groupUri('rg-ana')}/providers/Microsoft.Storage/storageAccounts/st1`,
      }),
    ).toEqual({ kind: 'ignored', reason: 'not-a-resource-group' });
  });

  it("ignores a delete of a group's tags: the group is still there", () => {
    // Act & Assess
    expect(classify({ kind: 'Delete', resourceUri: groupTagsUri('rg-ana') })).toEqual({
      kind: 'ignored',
      reason: 'not-a-resource-group',
    });
  });
});
