import { describe, expect, it } from 'vitest';
import {
  operationOutcome,
  operationProgress,
  runProgressLine,
  sandboxTable,
} from '../../../cli/describe.js';
import type { CleanupRun, Operation, Sandbox } from '../../../web/src/apiTypes.js';

const at = Date.parse('2026-01-01T10:00:00Z');

const sandbox = (name: string, overrides: Partial<Sandbox> = {}): Sandbox => ({
  name,
  resourceGroupId: `/subscriptions/s/resourceGroups/${name}`,
  location: 'westeurope',
  state: 'Succeeded',
  owner: 'oid-ana',
  expiresAt: '2026-01-01T12:30:00Z',
  blueprint: 'storage',
  tags: {},
  ...overrides,
});

const operation = (overrides: Partial<Operation>): Operation => ({
  id: 'op-1',
  kind: 'provision',
  status: 'running',
  sandbox: 'ana-1',
  requestedBy: 'ana@contoso.com',
  steps: [
    { name: 'resourceGroup', resourceId: 'rg', state: 'succeeded' },
    { name: 'storageAccount', resourceId: 'st', state: 'running' },
    { name: 'container', resourceId: 'c', state: 'pending' },
  ],
  createdAt: '2026-01-01T10:00:00Z',
  updatedAt: '2026-01-01T10:00:00Z',
  ...overrides,
});

describe('sandboxTable', () => {
  it('counts each lease down, and names owners only when there are several', () => {
    // Act
    const one = sandboxTable([sandbox('ana-1')], { now: at });
    const several = sandboxTable(
      [sandbox('ana-1'), sandbox('bob-1', { owner: 'oid-bob', ownerName: 'bob@contoso.com' })],
      { now: at },
    );

    // Assess
    expect(one).toBe(
      'NAME   LEASE            BLUEPRINT  LOCATION    STATE\nana-1  2 h 30 min left  storage    westeurope  Succeeded',
    );
    expect(several.split('\n')[0]).toBe(
      'NAME   LEASE            BLUEPRINT  LOCATION    OWNER            STATE',
    );
    expect(several.split('\n')[2]).toContain('bob@contoso.com');
  });
});

describe('operationProgress', () => {
  it.each([
    [operation({}), 'Building ana-1: 1 of 3 steps done, storageAccount running'],
    [operation({ status: 'queued' }), 'Building ana-1: queued'],
    [
      operation({
        kind: 'teardown',
        steps: [{ name: 'resourceGroup', resourceId: 'rg', state: 'pending' }],
      }),
      'Deleting ana-1: 0 of 1 steps done',
    ],
  ])('says how far %#', (op, line) => {
    expect(operationProgress(op)).toBe(line);
  });
});

describe('operationOutcome', () => {
  it('says a build is ready, or where and why it failed', () => {
    expect(operationOutcome(operation({ status: 'succeeded' }))).toBe(
      'ana-1 is ready: all 3 steps succeeded.',
    );
    expect(
      operationOutcome(
        operation({
          status: 'failed',
          steps: [
            {
              name: 'storageAccount',
              resourceId: 'st',
              state: 'failed',
              error: { code: 'StorageAccountAlreadyTaken', message: 'The name is taken.' },
            },
          ],
        }),
      ),
    ).toBe(
      'Building ana-1 failed at storageAccount: StorageAccountAlreadyTaken: The name is taken.',
    );
  });
});

describe('runProgressLine', () => {
  it('counts the applied items that ended', () => {
    // Prepare
    const item = (status: string) => ({
      subscriptionId: 's',
      name: `g-${status}`,
      action: 'delete' as const,
      reason: 'lease-expired',
      detail: '',
      outcome: { status },
    });
    const run = {
      runId: 'r-1',
      status: 'applying',
      items: [item('deleted'), item('queued'), item('in-progress'), item('failed')],
    } as unknown as CleanupRun;

    // Act and assess
    expect(runProgressLine(run)).toBe('Run r-1: applying, 2 of 4 ended');
  });
});
