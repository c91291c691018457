/**
 * Removes secrets from anything about to be logged: bearer tokens and JWTs, storage account keys
 * and SAS, client secrets and function keys, in strings and in nested fields alike.
 */

const REDACTED = '[REDACTED]';

/** Field names whose whole value is a secret, whatever it looks like. */
const secretKey =
  /^(authorization|proxy-authorization|x-functions-key|x-identity-header|identity_header|client_?secret|password|passwd|secret|access_?token|refresh_?token|id_?token|account_?key|sas_?token|sig|cookie|set-cookie|x-ms-client-principal|connection_?string|azurewebjobsstorage)$/i;

/** Patterns that find a secret inside free text; each keeps its prefix and hides the value. */
const patterns: ReadonlyArray<[RegExp, string]> = [
  // Authorization header values written as text (long enough not to eat the word "Bearer tokens").
  [/\b(Bearer|SharedKey)\s+[A-Za-z0-9\-._~+/:]{16,}=*/gi, `$1 ${REDACTED}`],
  // Anything JWT-shaped (three base64url segments, the first a JSON header), even without "Bearer".
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Connection-string parts.
  [/\b(AccountKey|SharedAccessSignature|SharedAccessKey)=[^;"'\s]*/gi, `$1=${REDACTED}`],
  // SAS and function-key query parameters in URLs.
  [
    /([?&](?:sig|se|st|sp|spr|srt|ss|sr|sv|ske|skt|sks|skv|skoid|sktid|sdd|sip|code|signature)=)[^&#\s"']*/gi,
    `$1${REDACTED}`,
  ],
  // key=value or "key": "value" forms of named secrets (form bodies, JSON, headers as text).
  [
    /\b(client_secret|x-functions-key|x-identity-header|access_token|refresh_token|id_token|password)(["']?\s*[:=]\s*["']?)[^"'&\s,;}]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/**
 * Redacts secrets in one string.
 *
 * @example
 * redactText('GET https://a.blob.core.windows.net/c/b?sv=2024-01-01&sig=abc123');
 * // 'GET https://a.blob.core.windows.net/c/b?sv=[REDACTED]&sig=[REDACTED]'
 */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Returns a copy of `value` that is safe to log: strings are redacted, fields named like secrets
 * are hidden, errors become plain `{ name, message, code, statusCode }` (never their requests and
 * responses, which carry headers), cycles and very deep nesting are cut.
 *
 * @example
 * redact({ headers: { authorization: 'Bearer x' }, url: 'https://h/p?code=k' });
 * // { headers: { authorization: '[REDACTED]' }, url: 'https://h/p?code=[REDACTED]' }
 */
export function redact(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= 8) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return errorFields(value, depth, seen);
    if (value instanceof Date) return value.toISOString();
    if (value instanceof URL) return redactText(value.toString());
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    if (value instanceof Map) return walk(Object.fromEntries(value), depth, seen);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        secretKey.test(key) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function errorFields(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const e = error as Error & { code?: unknown; statusCode?: unknown; kind?: unknown };
  const out: Record<string, unknown> = { name: error.name, message: redactText(error.message) };
  if (e.code !== undefined) out.code = walk(e.code, depth + 1, seen);
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (typeof e.kind === 'string') out.kind = e.kind;
  if (error.stack) out.stack = redactText(error.stack);
  if (error.cause !== undefined) out.cause = walk(error.cause, depth + 1, seen);
  return out;
}
