/**
 * ARM's tag rules through `@azure/arm-resources`. Reference: MicrosoftDocs/azure-docs,
 * articles/azure-resource-manager/management/tag-resources.md: "Limitations" (50 tags; names up to
 * 512 characters, 128 on storage accounts; values up to 256; no `< > % & \ ? /` in names) and
 * "Tag names are case-insensitive for operations … Tag values are case-sensitive". The error codes
 * and messages are ARM's, as Azure/azure-powershell's Az.Migrate cmdlets reproduce them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, errorOf, POLL } from './armClients.js';

const manyTags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag${i}`, `value${i}`]));

describe('tag limits', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let scope: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    scope = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-tags`;
    await clients.resources.resourceGroups.createOrUpdate('rg-tags', { location: 'westeurope' });
  });
  afterAll(() => arm.close());

  it('accepts 50 tags on a group and refuses 51 with InvalidTags', async () => {
    // Act
    const fifty = await clients.resources.resourceGroups.createOrUpdate('rg-tags', {
      location: 'westeurope',
      tags: manyTags(50),
    });
    const error = await errorOf(
      clients.resources.resourceGroups.createOrUpdate('rg-tags', {
        location: 'westeurope',
        tags: manyTags(51),
      }),
    );
    // Assess
    expect(Object.keys(fifty.tags ?? {})).toHaveLength(50);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidTags' });
    expect(error.message).toBe(
      "Too many tags specified. Requested tag count - '51'. Maximum number of tags allowed - '50'.",
    );
  });

  it('refuses a Merge that would take a group with 50 tags to 51, and keeps its tags', async () => {
    // Act
    const error = await errorOf(
      clients.resources.tagsOperations.beginUpdateAtScopeAndWait(
        scope,
        { operation: 'Merge', properties: { tags: { 'cleanup-marked': 'yes' } } },
        POLL,
      ),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidTags' });
    expect(
      Object.keys((await clients.resources.resourceGroups.get('rg-tags')).tags ?? {}),
    ).toHaveLength(50);
  });

  it.each(['a<b', 'a>b', 'a%b', 'a&b', 'a\\b', 'a?b', 'a/b'])(
    'refuses the tag name %s with InvalidTagNameCharacters',
    async (name) => {
      const error = await errorOf(
        clients.resources.resourceGroups.update('rg-tags', { tags: { [name]: 'x' } }),
      );
      expect(error).toMatchObject({ statusCode: 400, code: 'InvalidTagNameCharacters' });
      expect(error.message).toBe(
        `The tag names '${name}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`,
      );
    },
  );

  it('refuses a 513-character name with InvalidTagName and accepts 512', async () => {
    const accepted = await clients.resources.resourceGroups.update('rg-tags', {
      tags: { ['n'.repeat(512)]: 'x' },
    });
    const error = await errorOf(
      clients.resources.resourceGroups.update('rg-tags', { tags: { ['n'.repeat(513)]: 'x' } }),
    );
    expect(Object.keys(accepted.tags ?? {})).toEqual(['n'.repeat(512)]);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidTagName' });
    expect(error.message).toBe(
      `Tag key too large. Following tag name '${'n'.repeat(513)}' exceeded the maximum length. Maximum allowed length for tag name - '512' characters.`,
    );
  });

  it('refuses a 257-character value with InvalidTagValueLength and accepts 256', async () => {
    const accepted = await clients.resources.resourceGroups.update('rg-tags', {
      tags: { long: 'v'.repeat(256) },
    });
    const error = await errorOf(
      clients.resources.resourceGroups.update('rg-tags', { tags: { long: 'v'.repeat(257) } }),
    );
    expect(accepted.tags).toEqual({ long: 'v'.repeat(256) });
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidTagValueLength' });
  });

  it('limits tag names to 128 characters on storage accounts', async () => {
    // Prepare
    const account = `${scope}/providers/Microsoft.Storage/storageAccounts/sttagged`;
    const body = (name: string) => ({
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      tags: { [name]: 'x' },
    });
    // Act
    const error = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        account,
        '2023-05-01',
        body('n'.repeat(129)),
        POLL,
      ),
    );
    const created = await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      account,
      '2023-05-01',
      body('n'.repeat(128)),
      POLL,
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidTagName' });
    expect(error.message).toContain("Maximum allowed length for tag name - '128' characters.");
    expect(Object.keys(created.tags ?? {})).toEqual(['n'.repeat(128)]);
  });
});

describe('tag names without regard to case', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let scope: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    scope = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-case`;
  });
  afterAll(() => arm.close());

  it('a Merge of TAG1 updates the existing tag1 and keeps one key', async () => {
    // Prepare
    await clients.resources.resourceGroups.createOrUpdate('rg-case', {
      location: 'westeurope',
      tags: { tag1: 'old' },
    });
    // Act
    await clients.resources.tagsOperations.beginUpdateAtScopeAndWait(
      scope,
      { operation: 'Merge', properties: { tags: { TAG1: 'New' } } },
      POLL,
    );
    // Assess
    expect((await clients.resources.resourceGroups.get('rg-case')).tags).toEqual({ tag1: 'New' });
  });

  it('a Delete of keep removes Keep, but only when the value matches with its case', async () => {
    // Prepare
    await clients.resources.tagsOperations.beginCreateOrUpdateAtScopeAndWait(
      scope,
      { properties: { tags: { Keep: 'Yes', other: 'Value' } } },
      POLL,
    );
    // Act
    await clients.resources.tagsOperations.beginUpdateAtScopeAndWait(
      scope,
      { operation: 'Delete', properties: { tags: { keep: 'Yes', OTHER: 'value' } } },
      POLL,
    );
    // Assess
    expect((await clients.resources.tagsOperations.getAtScope(scope)).properties.tags).toEqual({
      other: 'Value',
    });
  });

  it('a PATCH with a and A stores one key', async () => {
    const patched = await clients.resources.resourceGroups.update('rg-case', {
      tags: { a: '1', A: '2' },
    });
    expect(patched.tags).toEqual({ a: '2' });
  });

  it('a resource PUT with two casings of one name stores one key', async () => {
    const vnet = await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      `${scope}/providers/Microsoft.Network/virtualNetworks/vnet1`,
      '2024-05-01',
      { location: 'westeurope', tags: { Env: 'dev', ENV: 'Prod' } },
      POLL,
    );
    expect(vnet.tags).toEqual({ Env: 'Prod' });
  });
});
