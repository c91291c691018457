/**
 * Event Grid delivers at least once and in no particular order. Whatever order the events of a
 * history arrive in, and however many copies, the app must end with the same tags on every group,
 * the same records and the same audit trail as when each arrives once, in order; and its own
 * writes must never feed it more work than one merge per new group.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleAzureEvent } from '../../../../services/azureEvents/handleAzureEvent.js';
import type { SandboxRecord } from '../../../../services/sandbox/SandboxRecord.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { appClaims, SUB, userClaims } from '../../../support/azureEvents/azureEventFactory.js';
import {
  type AzureEventsHarness,
  azureEventsHarness,
} from '../../../support/azureEvents/azureEventsHarness.js';
import type { RaisedEvent } from '../../../support/azureEvents/EventRaisingResourceGroups.js';

const NAMES = ['rg-a', 'rg-b', 'sbx-c'] as const;
const PEOPLE = {
  ana: userClaims('ana@contoso.com', 'oid-ana'),
  bob: userClaims('bob@contoso.com', 'oid-bob'),
  ci: appClaims('c1c1c1c1-0000-4000-8000-000000000001', 'oid-ci'),
};
type Who = keyof typeof PEOPLE;

type Step =
  | { op: 'create'; name: string; who: Who; tags: Record<string, string> }
  | { op: 'tag'; name: string; who: Who; tags: Record<string, string> }
  | { op: 'delete'; name: string; who: Who };

const who = fc.constantFrom<Who>('ana', 'bob', 'ci');
const name = fc.constantFrom(...NAMES);
const someTags = fc.dictionary(
  fc.constantFrom('team', 'created-by', 'sandbox-expires-at', 'env'),
  fc.constantFrom('x', '2026-04-01T00:00:00Z', 'someone'),
  { maxKeys: 2 },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name, who, tags: someTags }),
  fc.record({ op: fc.constant('tag' as const), name, who, tags: someTags }),
  fc.record({ op: fc.constant('delete' as const), name, who }),
);

/** Plays a history on ARM; each step a few minutes after the last. Returns the events it raised. */
async function play(h: AzureEventsHarness, steps: readonly Step[]): Promise<RaisedEvent[]> {
  // One sandbox the app made before the history starts, with its record.
  const group = await h.groups.createOrUpdate(SUB, 'sbx-c', {
    location: 'westeurope',
    tags: {
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'oid-ana',
      'sandbox-expires-at': '2026-03-02T12:00:00.000Z',
      'created-by': 'ana@contoso.com',
    },
  });
  const record: SandboxRecord = {
    subscriptionId: SUB,
    name: 'sbx-c',
    origin: 'provisioned',
    operationId: 'op-c',
    owner: 'oid-ana',
    createdAt: group.createdTime!,
    expiresAt: '2026-03-02T12:00:00.000Z',
    status: 'active',
    updatedAt: group.createdTime!,
  };
  await h.records.create(recordKeys.sandbox(SUB, 'sbx-c', record.createdAt), record);
  for (const s of steps) {
    h.clock.advance(5 * 60_000);
    const arm = h.as(PEOPLE[s.who]);
    const exists = h.groups.peek(SUB, s.name) !== undefined;
    if (s.op === 'create' && !exists) {
      await arm.createOrUpdate(SUB, s.name, { location: 'westeurope', tags: s.tags });
    } else if (s.op === 'tag' && exists && Object.keys(s.tags).length > 0) {
      await arm.mergeTags(SUB, s.name, s.tags);
    } else if (s.op === 'delete' && exists) {
      await arm.delete(SUB, s.name);
    }
  }
  return h.raised.splice(0);
}

/** Delivers `deliveries`, then whatever the app's own writes raise, each as the queue would. */
async function deliver(h: AzureEventsHarness, deliveries: readonly RaisedEvent[]) {
  const queue = [...deliveries];
  let handled = 0;
  while (queue.length > 0) {
    await handleAzureEvent(queue.shift(), h.ports);
    queue.push(...h.raised.splice(0));
    if (++handled > 10 * (deliveries.length + 1)) throw new Error('the events never stop');
  }
}

/**
 * What must not depend on delivery: tags, records (but when they were touched), the audit
 * trail's entries (what, of which group and operation, with which details) and the notices sent
 * (which, about what). An entry's or notice's time and actor are the event's that revealed the
 * change: with two deletes of one name crossing, they may name the later one (the record itself
 * ends with the right one).
 */
async function outcome(h: AzureEventsHarness) {
  const records = Object.fromEntries(
    Object.entries(await h.sandboxRecords()).map(([key, { updatedAt: _, ...r }]) => [key, r]),
  );
  const audit = (await h.audit())
    .map((e) => JSON.stringify([e.action, e.resourceGroup, e.operationId, e.details]))
    .sort();
  const notices = h.notifications
    .peek()
    .map(({ event }) => `${event.type} ${event.subject} ${event.id}`)
    .sort();
  return {
    tags: Object.fromEntries(NAMES.map((n) => [n, h.groups.peek(SUB, n)?.tags])),
    records,
    audit,
    notices,
  };
}

describe('handleAzureEvent under duplicated and reordered delivery', () => {
  it('ends the same as one delivery of each event, in order, and never loops', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        async (steps, adopt, draws) => {
          const settings = {
            adoption: { enabled: adopt, subscriptions: [SUB], ttlHours: 8 },
          };
          // Prepare: the same history, twice
          const inOrder = azureEventsHarness(settings);
          const shuffled = azureEventsHarness(settings);
          const events = await play(inOrder, steps);
          const same = await play(shuffled, steps);
          expect(same.length).toBe(events.length);

          // Act: in order, once each; and shuffled, some twice
          await deliver(inOrder, events);
          const random = draws[Symbol.iterator]();
          const next = () => random.next().value as number;
          const copies = [...events, ...events.filter(() => next() % 3 === 0)];
          for (let i = copies.length - 1; i > 0; i--) {
            const j = next() % (i + 1);
            [copies[i], copies[j]] = [copies[j]!, copies[i]!];
          }
          await deliver(shuffled, copies);

          // Assess
          expect(await outcome(shuffled)).toEqual(await outcome(inOrder));
          const created = steps.filter((s) => s.op === 'create').length;
          expect(shuffled.app.writes.length).toBeLessThanOrEqual(created);
        },
      ),
      { numRuns: 150 },
    );
  });
});
