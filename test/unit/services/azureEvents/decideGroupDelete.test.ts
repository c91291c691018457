import { describe, expect, it } from 'vitest';
import { decideGroupDelete } from '../../../../services/azureEvents/decideGroupDelete.js';
import { principalOfClaims } from '../../../../services/azureEvents/principalOfClaims.js';
import type { SandboxRecord } from '../../../../services/sandbox/SandboxRecord.js';
import { appOwnClaims, SUB, userClaims } from '../../../support/azureEvents/azureEventFactory.js';

const record: SandboxRecord = {
  subscriptionId: SUB,
  name: 'ana-1',
  origin: 'provisioned',
  operationId: 'op-1',
  owner: 'oid-ana',
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-02T10:00:00.000Z',
  status: 'active',
  updatedAt: '2026-03-01T10:00:00.000Z',
};
const facts = {
  eventId: 'ev-1',
  eventTime: '2026-03-01T12:00:00.5Z',
  principal: principalOfClaims(userClaims('bob@contoso.com', 'oid-bob')),
  own: false,
  record,
  teardownUnderway: false,
};

describe('decideGroupDelete', () => {
  it('records a sandbox deleted outside the app, by whom and when', () => {
    // Act & Assess
    expect(decideGroupDelete(facts)).toEqual({
      kind: 'record-deleted',
      via: 'out-of-band',
      record: {
        ...record,
        status: 'deleted',
        deleted: {
          at: '2026-03-01T12:00:00.500Z',
          by: 'bob@contoso.com',
          via: 'out-of-band',
          eventId: 'ev-1',
        },
        updatedAt: '2026-03-01T12:00:00.500Z',
      },
    });
  });

  it("records the app's own delete without calling it out of band", () => {
    // Act
    const decision = decideGroupDelete({
      ...facts,
      own: true,
      principal: principalOfClaims(appOwnClaims),
    });

    // Assess
    expect(decision).toMatchObject({
      kind: 'record-deleted',
      via: 'app',
      record: { status: 'deleted' },
    });
  });

  it('corrects a record closed by the delete of a later group of that name, whose event came first', () => {
    // Prepare: the name was deleted at 12:00, made again and deleted again at 13:00; 13:00 came first
    const closedLate: SandboxRecord = {
      ...record,
      status: 'deleted',
      deleted: { at: '2026-03-01T13:00:00.000Z', by: 'carol@contoso.com', via: 'out-of-band' },
    };

    // Act
    const decision = decideGroupDelete({ ...facts, record: closedLate });

    // Assess
    expect(decision).toMatchObject({
      kind: 'record-corrected',
      record: { deleted: { at: '2026-03-01T12:00:00.500Z', by: 'bob@contoso.com' } },
    });
  });

  it.each([
    {
      description: 'a group the app has no record of',
      change: { record: undefined },
      reason: 'no-sandbox-record',
    },
    {
      description: 'a sandbox whose record says it is gone (a repeated event)',
      change: { record: { ...record, status: 'deleted' as const } },
      reason: 'already-recorded',
    },
    {
      description: 'a sandbox whose teardown is under way',
      change: { teardownUnderway: true },
      reason: 'teardown-underway',
    },
  ])('changes nothing for $description', ({ change, reason }) => {
    // Act & Assess
    expect(decideGroupDelete({ ...facts, ...change })).toEqual({ kind: 'no-change', reason });
  });
});
