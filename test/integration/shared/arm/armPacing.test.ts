/**
 * ARM's throttling against the app's pacing: the emulator with ARM's default buckets (reads 250
 * at 25/s, writes 200 at 10/s), and more concurrent requests than a bucket holds, through the
 * real SDK clients of `createArmClients`.
 */
import { startTestEmulator, type TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmResourceGroups } from '../../../../shared/arm/ArmResourceGroups.js';
import { loadConfig } from '../../../../shared/config.js';
import { runWithCorrelation } from '../../../../shared/correlation.js';
import { testAuthSettings } from '../../../support/auth/testTokens.js';

let arm: TestEmulator;
let groups: ArmResourceGroups;
let sub: string;

beforeAll(async () => {
  arm = await startTestEmulator({
    throttling: {
      reads: { capacity: 250, refillPerSecond: 25 },
      writes: { capacity: 200, refillPerSecond: 10 },
      deletes: { capacity: 200, refillPerSecond: 10 },
    },
  });
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  const config = loadConfig({
    ...testAuthSettings,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    ARM_ENDPOINT: arm.endpoint,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
  sub = arm.subscriptionId;
  groups = await ArmResourceGroups.fromConfig(config);
});

afterAll(async () => {
  await arm?.close();
});

beforeEach(async () => {
  await arm.control.reset();
});

describe('ARM pacing', () => {
  it('runs more writes than the bucket holds at its refill rate, without a 429', async () => {
    // Prepare
    const names = Array.from({ length: 215 }, (_, i) => `rg-paced-${i}`);

    // Act
    await Promise.all(
      names.map((name) => groups.createOrUpdate(sub, name, { location: 'westeurope', tags: {} })),
    );

    // Assess: unpaced, 15 of them would have drawn a 429.
    const stats = await arm.control.stats();
    expect(stats.throttled).toBe(0);
    expect(stats.byStatus['201']).toBe(215);
  });

  it("leaves the lower half of the bucket to provisioning while a cleanup run's writes wait", async () => {
    // Prepare: a cleanup run sends 130 writes; it may take 100 at once, then 10 a second.
    const finished: string[] = [];
    const cleanup = runWithCorrelation({ runId: '20260101T000000Z-ab12cd' }, () =>
      Promise.all(
        Array.from({ length: 130 }, (_, i) =>
          groups
            .createOrUpdate(sub, `rg-cleanup-${i}`, { location: 'westeurope', tags: {} })
            .then(() => finished.push('cleanup')),
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Act: provisioning sends 80 writes meanwhile
    await runWithCorrelation({ operationId: '3f0c0000-0000-4000-8000-000000000001' }, () =>
      Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          groups
            .createOrUpdate(sub, `rg-sandbox-${i}`, { location: 'westeurope', tags: {} })
            .then(() => finished.push('provisioning')),
        ),
      ),
    );
    await cleanup;

    // Assess: every provisioning write went before the cleanup writes still waiting, none drew a 429.
    expect(finished.lastIndexOf('provisioning')).toBeLessThan(finished.lastIndexOf('cleanup'));
    expect(finished.filter((f) => f === 'cleanup')).toHaveLength(130);
    const stats = await arm.control.stats();
    expect(stats.throttled).toBe(0);
  });

  it('runs more reads than the bucket holds without a 429', async () => {
    // Prepare
    await arm.control.seed({ resourceGroups: [{ name: 'rg-read', location: 'westeurope' }] });

    // Act
    const read = await Promise.all(Array.from({ length: 280 }, () => groups.get(sub, 'rg-read')));

    // Assess: unpaced, at least 30 of them would have drawn a 429.
    const stats = await arm.control.stats();
    expect(read.every((g) => g?.name === 'rg-read')).toBe(true);
    expect(stats.throttled).toBe(0);
  });
});
