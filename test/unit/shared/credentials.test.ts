import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createCredential } from '../../../shared/credentials.js';

describe('createCredential', () => {
  it('builds one DefaultAzureCredential per identity and shares it', async () => {
    // Act
    const system = await createCredential({});
    const again = await createCredential({});
    const userAssigned = await createCredential({
      clientId: '00000000-0000-4000-8000-0000000c0002',
    });

    // Assess
    expect(system).toBeInstanceOf(DefaultAzureCredential);
    expect(again).toBe(system);
    expect(userAssigned).toBeInstanceOf(DefaultAzureCredential);
    expect(userAssigned).not.toBe(system);
  });
});
