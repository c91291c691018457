import { describe, expect, it } from 'vitest';
import {
  type PowerSchedule,
  parsePowerSchedule,
} from '../../../../services/power/parsePowerSchedule.js';
import { latestTransition, nextTransition } from '../../../../services/power/powerTransitions.js';

function schedule(value: string): PowerSchedule {
  const reading = parsePowerSchedule(value);
  if (reading.kind !== 'schedule') throw new Error(`not a schedule: ${value}`);
  return reading.schedule;
}

describe('latestTransition', () => {
  it('finds the off hour a run falls in, in the schedule’s zone', () => {
    // Act: 19:20 in Berlin (CET, UTC+1) on Monday 2 March 2026
    const found = latestTransition(
      schedule('off=(M-F,19);on=(M-F,7);tz=Europe/Berlin'),
      new Date('2026-03-02T18:20:00Z'),
    );

    // Assess
    expect(found).toEqual({
      kind: 'off',
      at: '2026-03-02T18:00:00.000Z',
      until: '2026-03-02T19:00:00.000Z',
      local: '2026-03-02 19:00 Europe/Berlin',
    });
  });

  it('looks back over the weekend to Friday’s off hour', () => {
    // Act: Sunday noon
    const found = latestTransition(
      schedule('off=(M-F,19);on=(M-F,7);tz=UTC'),
      new Date('2026-03-08T12:00:00Z'),
    );

    // Assess
    expect(found).toMatchObject({ kind: 'off', local: '2026-03-06 19:00 UTC' });
  });

  it('prefers off when an off and an on hour begin together', () => {
    const found = latestTransition(
      schedule('off=(M-U,9);on=(M-U,9);tz=UTC'),
      new Date('2026-03-02T09:30:00Z'),
    );
    expect(found?.kind).toBe('off');
  });
});

describe('latestTransition across daylight-saving changes', () => {
  const berlin = schedule('off=(M-U,19);on=(M-U,7);tz=Europe/Berlin');

  it('follows the clocks forward: 07:00 is 06:00Z in winter and 05:00Z in summer', () => {
    // Act: the mornings before and after Sunday 29 March 2026
    const before = latestTransition(berlin, new Date('2026-03-28T06:30:00Z'));
    const after = latestTransition(berlin, new Date('2026-03-30T05:30:00Z'));

    // Assess
    expect(before).toMatchObject({ kind: 'on', at: '2026-03-28T06:00:00.000Z' });
    expect(after).toMatchObject({ kind: 'on', at: '2026-03-30T05:00:00.000Z' });
  });

  it('follows the clocks back: 19:00 is 17:00Z before 25 October and 18:00Z after', () => {
    const before = latestTransition(berlin, new Date('2026-10-24T17:30:00Z'));
    const after = latestTransition(berlin, new Date('2026-10-25T18:30:00Z'));
    expect(before).toMatchObject({ kind: 'off', at: '2026-10-24T17:00:00.000Z' });
    expect(after).toMatchObject({ kind: 'off', at: '2026-10-25T18:00:00.000Z' });
  });

  it('starts an hour the clocks skip just after the gap, and it lasts until 04:00', () => {
    // Act: 02:00 does not exist in Berlin on 29 March 2026 (01:59 CET is followed by 03:00 CEST).
    const found = latestTransition(
      schedule('off=(U,2);tz=Europe/Berlin'),
      new Date('2026-03-29T01:10:00Z'),
    );

    // Assess
    expect(found).toEqual({
      kind: 'off',
      at: '2026-03-29T01:00:00.000Z',
      until: '2026-03-29T02:00:00.000Z',
      local: '2026-03-29 02:00 Europe/Berlin',
    });
  });

  it('treats an hour the clocks repeat as one transition that lasts both times', () => {
    // Act: 02:00-03:00 happens twice in Berlin on 25 October 2026 (CEST, then CET).
    const during = latestTransition(
      schedule('off=(U,2);tz=Europe/Berlin'),
      new Date('2026-10-25T01:30:00Z'),
    );

    // Assess
    expect(during).toEqual({
      kind: 'off',
      at: '2026-10-25T00:00:00.000Z',
      until: '2026-10-25T02:00:00.000Z',
      local: '2026-10-25 02:00 Europe/Berlin',
    });
  });

  it('keeps New York’s 7 pm at 7 pm local on both sides of its own change', () => {
    const ny = schedule('off=(M-F,19);tz=et');
    expect(latestTransition(ny, new Date('2026-03-06T00:30:00Z'))?.at).toBe(
      '2026-03-06T00:00:00.000Z',
    );
    expect(latestTransition(ny, new Date('2026-03-09T23:30:00Z'))?.at).toBe(
      '2026-03-09T23:00:00.000Z',
    );
  });
});

describe('nextTransition', () => {
  it('finds Monday’s on hour from Friday evening', () => {
    const found = nextTransition(
      schedule('off=(M-F,19);on=(M-F,7);tz=UTC'),
      new Date('2026-03-06T19:30:00Z'),
      'on',
    );
    expect(found).toMatchObject({ kind: 'on', at: '2026-03-09T07:00:00.000Z' });
  });
});
