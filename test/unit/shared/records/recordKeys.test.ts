import { describe, expect, it } from 'vitest';
import { recordKeys } from '../../../../shared/records/recordKeys.js';

describe('recordKeys', () => {
  it.each([
    {
      description: 'an operation',
      key: recordKeys.operation('3f0c'),
      expected: 'operations/3f0c.json',
    },
    {
      description: 'a name reservation, in lower case',
      key: recordKeys.nameReservation('Ana-1'),
      expected: 'sandboxes/ana-1.json',
    },
    {
      description: 'an Idempotency-Key, hashed with its owner',
      key: recordKeys.idempotency('Ana@contoso.com', 'retry-1'),
      expected: recordKeys.idempotency('ana@contoso.com', 'retry-1'),
    },
    {
      description: 'the cleanup plan',
      key: recordKeys.cleanup.plan('r1'),
      expected: 'cleanup/runs/r1/plan.json',
    },
    {
      description: 'the cleanup summary',
      key: recordKeys.cleanup.summary('r1'),
      expected: 'cleanup/runs/r1/summary.md',
    },
    {
      description: 'a cleanup item',
      key: recordKeys.cleanup.item('r1', 's', 'g'),
      expected: 'cleanup/runs/r1/items/s/g.json',
    },
    {
      description: 'a cleanup item row of its run',
      key: recordKeys.cleanupItems.item('s', 'g'),
      expected: 'item|s|g',
    },
    {
      description: 'a shard of a run’s tally',
      key: recordKeys.cleanupItems.tally(3),
      expected: 'tally|03',
    },
    {
      description: 'the active run of a set of subscriptions, in any order and case',
      key: recordKeys.cleanup.activeRun(['Sub-B', 'sub-a', 'sub-b']),
      expected: recordKeys.cleanup.activeRun(['sub-a', 'sub-b']),
    },
    {
      description: 'the audit log of the ten minutes an entry falls in',
      key: recordKeys.auditLog('2026-01-02T03:04:05.678Z'),
      expected: 'audit/2026-01-02/0300.jsonl',
    },
    {
      description: 'the audit log of the day’s last ten minutes',
      key: recordKeys.auditLog('2026-01-02T23:59:59.999Z'),
      expected: 'audit/2026-01-02/2350.jsonl',
    },
    {
      description: 'an audit entry as kept before the logs',
      key: recordKeys.auditEntry('2026-01-02T03:04:05.678Z', 'cleanup.deleted', 'r1-s-g'),
      expected: 'audit/2026-01-02/2026-01-02T03:04:05.678Z-cleanup.deleted-r1-s-g.json',
    },
    {
      description: 'a group’s history log, in lower case',
      key: recordKeys.groupHistoryLog('s', 'Ana-1'),
      expected: 'history/s/ana-1.jsonl',
    },
    {
      description: 'a group’s history as kept before the logs',
      key: recordKeys.groupHistoryOf('s', 'Ana-1'),
      expected: 'history/s/ana-1/',
    },
  ])('places $description', ({ key, expected }) => {
    expect(key).toBe(expected);
  });

  it('gives each set of subscriptions its own active-run record', () => {
    expect(recordKeys.cleanup.activeRun(['sub-a'])).toMatch(
      /^cleanup\/active\/[0-9a-f]{64}\.json$/,
    );
    expect(recordKeys.cleanup.activeRun(['sub-a'])).not.toBe(
      recordKeys.cleanup.activeRun(['sub-a', 'sub-b']),
    );
  });

  it('hashes an Idempotency-Key so its characters never reach a blob name', () => {
    expect(recordKeys.idempotency('ana@contoso.com', '../../x?')).toMatch(
      /^idempotency\/[0-9a-f]{64}\.json$/,
    );
  });
});
