import { describe, expect, it } from 'vitest';
import {
  actionLabel,
  formatInstant,
  formatRemaining,
  humanize,
  portalLink,
  runProgress,
} from '../../../web/src/format.js';

const at = (iso: string) => Date.parse(iso);

describe('formatRemaining', () => {
  it.each([
    ['2026-01-03T10:00:00Z', '2026-01-01T08:00:00Z', '2 d 2 h left', false],
    ['2026-01-01T10:00:00Z', '2026-01-01T02:30:00Z', '7 h 30 min left', false],
    ['2026-01-01T10:00:00Z', '2026-01-01T07:00:00Z', '3 h left', true],
    ['2026-01-01T10:00:00Z', '2026-01-01T09:15:00Z', '45 min left', true],
    ['2026-01-01T10:00:00Z', '2026-01-01T09:59:30Z', 'less than a minute left', true],
    ['2026-01-01T10:00:00Z', '2026-01-01T13:00:00Z', 'ended 3 h ago', true],
  ])('a lease ending %s, seen at %s, has %s', (expiresAt, now, text, soon) => {
    expect(formatRemaining(expiresAt, at(now))).toMatchObject({ text, soon });
  });

  it('says when a lease cannot be read', () => {
    expect(formatRemaining('soon', 0).text).toBe('unreadable lease');
  });
});

describe('formatInstant', () => {
  it('writes an instant for people, in the zone asked for', () => {
    expect(formatInstant('2026-01-15T09:00:00Z', 'en-GB', 'UTC')).toBe('15 Jan 2026, 09:00');
  });
});

describe('humanize', () => {
  it.each([
    ['containerName', 'Container name'],
    ['sshPublicKey', 'SSH public key'],
    ['vmSize', 'VM size'],
    ['powerSchedule', 'Power schedule'],
  ])('names %s as %s', (name, label) => {
    expect(humanize(name)).toBe(label);
  });
});

describe('portalLink', () => {
  it('links a resource in its tenant in the Azure portal', () => {
    expect(
      portalLink('https://portal.azure.com/', 'tenant-1', '/subscriptions/s/resourceGroups/g'),
    ).toBe('https://portal.azure.com/#@tenant-1/resource/subscriptions/s/resourceGroups/g');
  });
});

describe('actionLabel', () => {
  it('names known actions for people and keeps unknown ones as they are', () => {
    expect([actionLabel('cleanup.deleted'), actionLabel('power.stopped')]).toEqual([
      'Deleted by cleanup',
      'power.stopped',
    ]);
  });
});

describe('runProgress', () => {
  it.each([
    [{ mode: 'dry-run', status: 'completed' }, 'plan only'],
    [{ mode: 'dry-run', status: 'queued' }, '—'],
    [{ mode: 'apply', status: 'blocked' }, 'waiting for approval'],
    [{ mode: 'apply', status: 'applying', enqueued: 5, outcomes: { deleted: 2 } }, '2 of 5 ended'],
    [{ mode: 'apply', status: 'applying', enqueued: 3 }, '0 of 3 ended'],
    [
      { mode: 'apply', status: 'completed', outcomes: { deleted: 3, failed: 0, skipped: 1 } },
      'deleted 3 · skipped 1',
    ],
    [{ mode: 'apply', status: 'completed', enqueued: 0 }, 'nothing to do'],
    [{ mode: 'apply', status: 'failed' }, '—'],
  ] as const)('a run %o reads %s', (run, text) => {
    expect(runProgress(run)).toBe(text);
  });
});
