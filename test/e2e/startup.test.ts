import { join } from 'node:path';
import { startHostProcess } from '@sandbox-automation/functions-host/testing';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('app start-up', () => {
  it('stops the built app before any listener starts when a setting is invalid, naming it', async () => {
    // Prepare: storage that is not there, so a listener starting first would fail differently.
    const settings = {
      AzureWebJobsStorage:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1',
      AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000001',
      CLEANUP_MODE: 'sometimes',
      ARM_ENDPOINT: 'http://management.example',
    };

    // Act
    const started = startHostProcess({ appDir: root, settings, port: 0 });

    // Assess
    await expect(started).rejects.toThrow(
      /The app failed to start: Invalid app settings: .*ARM_ENDPOINT.*CLEANUP_MODE must be one of dry-run, apply/,
    );
  });
});
