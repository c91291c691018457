/**
 * The `sandbox-power-schedule` tag's value, in Cloud Custodian's off-hours syntax so that its
 * users feel at home: `off=(M-F,19);on=(M-F,7);tz=Europe/Berlin`, lists such as
 * `off=[(M-F,19),(S,13)]`, day letters `M T W H F S U` alone or as ranges (`M-F`, `M-U`, and
 * wrapping ones such as `F-M`), IANA zones and Custodian's zone abbreviations (`pt`, `cet`, …).
 *
 * As in Custodian, the value is read without regard to case, spaces or quotes; `off` opts out; an
 * empty value or `on` means Custodian's default (`off=(M-F,19);on=(M-F,7);tz=et`); a value that
 * names no zone is read in Custodian's default zone, `et`. Unlike Custodian, which fills a missing
 * `off` or `on` from its policy, a schedule without one simply has no transitions of that kind.
 */

/** A time of a schedule: the days it applies to (0 Monday … 6 Sunday) and the hour (0-23). */
export interface PowerRule {
  days: readonly number[];
  hour: number;
}

/** A parsed schedule: when to stop (`off`) and start (`on`), in an IANA zone. */
export interface PowerSchedule {
  off: readonly PowerRule[];
  on: readonly PowerRule[];
  /** The canonical IANA name, for example `Europe/Berlin`. */
  timeZone: string;
}

/** What a tag value says: a schedule, an opt-out, or why it cannot be read. */
export type PowerScheduleReading =
  | { kind: 'schedule'; schedule: PowerSchedule }
  | { kind: 'opt-out' }
  | { kind: 'invalid'; reason: string };

/** The longest value accepted: ARM's limit on a tag value. */
export const MAX_POWER_SCHEDULE_LENGTH = 256;

/** Custodian's time zone abbreviations, each tied to a place so daylight saving applies. */
export const CUSTODIAN_TIME_ZONES: Readonly<Record<string, string>> = {
  pdt: 'America/Los_Angeles',
  pt: 'America/Los_Angeles',
  pst: 'America/Los_Angeles',
  ast: 'America/Phoenix',
  at: 'America/Phoenix',
  est: 'America/New_York',
  edt: 'America/New_York',
  et: 'America/New_York',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  ct: 'America/Chicago',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mt: 'America/Denver',
  gmt: 'Etc/GMT',
  gt: 'Etc/GMT',
  bst: 'Europe/London',
  ist: 'Europe/Dublin',
  cet: 'Europe/Berlin',
  it: 'Asia/Kolkata',
  jst: 'Asia/Tokyo',
  kst: 'Asia/Seoul',
  sgt: 'Asia/Singapore',
  aet: 'Australia/Sydney',
  brt: 'America/Sao_Paulo',
};

const DAY_LETTERS = ['m', 't', 'w', 'h', 'f', 's', 'u'] as const;
const DEFAULT_VALUE = 'off=(m-f,19);on=(m-f,7);tz=et';
const RULE = /^\(([a-z]+(?:-[a-z]+)?),(\d{1,2})\)$/;

/**
 * Reads a schedule tag's value. Never throws: a value that cannot be read comes back `invalid`
 * with the reason, for the run's report or the request's 400.
 *
 * @example
 * parsePowerSchedule('off=(M-F,19);on=(M-F,7);tz=Europe/Berlin');
 * // { kind: 'schedule', schedule: { off: [{ days: [0,1,2,3,4], hour: 19 }], on: […], timeZone: 'Europe/Berlin' } }
 * parsePowerSchedule('off'); // { kind: 'opt-out' }
 * parsePowerSchedule('off=(X,19)'); // { kind: 'invalid', reason: "unknown day 'x' in (x,19); days are M T W H F S U" }
 */
export function parsePowerSchedule(value: string): PowerScheduleReading {
  if (value.length > MAX_POWER_SCHEDULE_LENGTH) {
    return invalid(`is longer than ${MAX_POWER_SCHEDULE_LENGTH} characters`);
  }
  const text = value
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^['"]+|['"]+$/g, '');
  if (text === 'off') return { kind: 'opt-out' };
  const normalized = text === '' || text === 'on' ? DEFAULT_VALUE : text;
  const fields = new Map<string, string>();
  for (const piece of normalized.split(';').filter((p) => p.length > 0)) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return invalid(`'${piece}' is not key=value (keys are off, on and tz)`);
    const key = piece.slice(0, eq);
    if (key !== 'off' && key !== 'on' && key !== 'tz') {
      return invalid(`unknown key '${key}'; keys are off, on and tz`);
    }
    if (fields.has(key)) return invalid(`'${key}' is given twice`);
    fields.set(key, piece.slice(eq + 1));
  }
  if (!fields.has('off') && !fields.has('on')) {
    // A zone alone takes Custodian's default times in that zone.
    fields.set('off', '(m-f,19)');
    fields.set('on', '(m-f,7)');
  }
  const off = fields.has('off') ? parseRules('off', fields.get('off')!) : [];
  if (typeof off === 'string') return invalid(off);
  const on = fields.has('on') ? parseRules('on', fields.get('on')!) : [];
  if (typeof on === 'string') return invalid(on);
  const timeZone = resolveTimeZone(fields.get('tz') || 'et');
  if (timeZone === undefined) {
    return invalid(
      `unknown time zone '${fields.get('tz')}'; use an IANA name such as Europe/Berlin`,
    );
  }
  return { kind: 'schedule', schedule: { off, on, timeZone } };
}

/**
 * The canonical IANA name of a zone or of one of Custodian's abbreviations, or `undefined`.
 *
 * @example
 * resolveTimeZone('pt'); // 'America/Los_Angeles'
 * resolveTimeZone('europe/berlin'); // 'Europe/Berlin'
 */
export function resolveTimeZone(name: string): string | undefined {
  const zone = CUSTODIAN_TIME_ZONES[name.toLowerCase()] ?? name;
  if (!/^[A-Za-z0-9_+\-/]+$/.test(zone)) return undefined;
  try {
    // Throws RangeError for a zone the time zone database does not know.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions();
    // Keep the name as IANA spells it, not the database's canonical alias (Calcutta for Kolkata).
    return zoneSpelling().get(zone.toLowerCase()) ?? resolved.timeZone;
  } catch {
    return undefined;
  }
}

let spellings: Map<string, string> | undefined;

function zoneSpelling(): Map<string, string> {
  spellings ??= new Map(
    [...Intl.supportedValuesOf('timeZone'), ...Object.values(CUSTODIAN_TIME_ZONES), 'UTC'].map(
      (z) => [z.toLowerCase(), z],
    ),
  );
  return spellings;
}

function parseRules(key: string, text: string): PowerRule[] | string {
  const listed = text.startsWith('[') || text.endsWith(']');
  if (listed && !(text.startsWith('[') && text.endsWith(']'))) {
    return `'${key}' has an unclosed list: ${text}`;
  }
  const body = listed ? text.slice(1, -1) : text;
  const items = body.length === 0 ? [] : body.split(/,(?=\()/);
  if (items.length === 0) return `'${key}' lists no times; write for example ${key}=(M-F,19)`;
  if (!listed && items.length > 1) {
    return `'${key}' has several times; list them in brackets, for example ${key}=[(M-F,19),(S,13)]`;
  }
  const rules: PowerRule[] = [];
  for (const item of items) {
    const match = RULE.exec(item);
    if (!match) return `'${item}' in '${key}' is not (days,hour), for example (M-F,19)`;
    const days = parseDays(match[1]!);
    if (typeof days === 'string') return `${days} in ${item}; days are M T W H F S U`;
    const hour = Number(match[2]);
    if (hour > 23) return `hour ${hour} in ${item} is not between 0 and 23`;
    rules.push({ days, hour });
  }
  return rules;
}

function parseDays(text: string): number[] | string {
  const [first, last] = text.split('-');
  const start = dayIndex(first!);
  if (start === undefined) return `unknown day '${first}'`;
  if (last === undefined) return [start];
  const end = dayIndex(last);
  if (end === undefined) return `unknown day '${last}'`;
  // A range may wrap over the week's end, as in Custodian: F-M is Friday to Monday.
  const days: number[] = [];
  for (let d = start; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === end) break;
  }
  return days;
}

function dayIndex(letter: string): number | undefined {
  const index = DAY_LETTERS.indexOf(letter as (typeof DAY_LETTERS)[number]);
  return index < 0 ? undefined : index;
}

function invalid(reason: string): PowerScheduleReading {
  return { kind: 'invalid', reason };
}
