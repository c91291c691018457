/**
 * Parses a .NET TimeSpan as host.json writes durations (`[d.]hh:mm:ss[.fffffff]`) into
 * milliseconds. A bare number is taken as milliseconds, as the queues extension also accepts.
 *
 * @example
 * parseTimeSpan('00:00:02'); // 2000
 * parseTimeSpan('1.00:00:00'); // 86400000
 */
export function parseTimeSpan(value: string | number): number {
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text) && !text.includes(':')) return Number(text);
  const match = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(text);
  if (!match) {
    throw new RangeError(`"${value}" is not a TimeSpan (expected [d.]hh:mm:ss[.fff]).`);
  }
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const ms =
    Number(days ?? 0) * 86_400_000 +
    Number(hours) * 3_600_000 +
    Number(minutes) * 60_000 +
    Number(seconds) * 1000 +
    Math.round(Number(`0.${fraction ?? '0'}`) * 1000);
  return minus ? -ms : ms;
}
