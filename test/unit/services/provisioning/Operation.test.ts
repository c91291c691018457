import { describe, expect, it } from 'vitest';
import {
  isTerminal,
  type Operation,
  type OperationStatus,
  transitionOperation,
  updateStep,
} from '../../../../services/provisioning/Operation.js';

const now = new Date('2026-01-01T00:00:00Z');
const operation = (status: OperationStatus): Operation => ({
  id: 'op-1',
  kind: 'provision',
  status,
  sandbox: 'ana-1',
  owner: 'ana',
  subscriptionId: 'sub',
  requestedBy: 'ana',
  steps: [
    {
      name: 'resourceGroup',
      resourceId: '/subscriptions/sub/resourceGroups/ana-1',
      state: 'pending',
    },
  ],
  attempts: 0,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

describe('transitionOperation', () => {
  const all: OperationStatus[] = ['queued', 'running', 'succeeded', 'failed'];
  const allowed = new Set([
    'queued>running',
    'queued>failed',
    'running>succeeded',
    'running>failed',
  ]);
  const cases = all.flatMap((from) =>
    all.map((to) => ({ from, to, ok: allowed.has(`${from}>${to}`) })),
  );
  it.each(cases)('$from → $to allowed: $ok', ({ from, to, ok }) => {
    // Prepare
    const op = operation(from);

    // Act
    const act = () => transitionOperation(op, to, now);

    // Assess
    if (ok) expect(act().status).toBe(to);
    else expect(act).toThrow(`Operation op-1 cannot go from ${from} to ${to}.`);
  });

  it('records the error of a failed operation', () => {
    // Act
    const failed = transitionOperation(operation('running'), 'failed', now, {
      code: 'ScopeLocked',
      message: 'locked',
    });

    // Assess
    expect(failed.error).toEqual({ code: 'ScopeLocked', message: 'locked' });
  });
});

describe('isTerminal', () => {
  it.each([
    { status: 'queued', terminal: false },
    { status: 'running', terminal: false },
    { status: 'succeeded', terminal: true },
    { status: 'failed', terminal: true },
  ] as const)('$status is terminal: $terminal', ({ status, terminal }) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});

describe('updateStep', () => {
  it('changes only the named step and stamps the time', () => {
    // Prepare
    const later = new Date('2026-01-01T00:01:00Z');

    // Act
    const next = updateStep(
      operation('running'),
      'resourceGroup',
      { state: 'running', resumeToken: 't' },
      later,
    );

    // Assess
    expect(next.steps[0]).toMatchObject({ state: 'running', resumeToken: 't' });
    expect(next.updatedAt).toBe(later.toISOString());
  });

  it('throws on an unknown step', () => {
    expect(() => updateStep(operation('running'), 'nope', {}, now)).toThrow(
      "Operation op-1 has no step 'nope'.",
    );
  });
});
