import type { HttpRequest } from '@azure/functions';
import { ContentTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../apiErrors.js';

/** Requests to this API are small; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ReadJsonBodyOptions {
  maxBytes?: number;
  /** An empty body (no bytes at all) reads as `undefined` instead of failing. */
  optional?: boolean;
}

/**
 * The request's JSON body: `application/json` (or `+json`) only, at most `maxBytes`, and
 * well-formed. Anything else throws a `ValidationError`: 415, 413 or 400.
 *
 * @example
 * const body = await readJsonBody(request); // unknown: validate it next
 */
export async function readJsonBody(
  request: HttpRequest,
  options: ReadJsonBodyOptions = {},
): Promise<unknown> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (options.optional && declared === 0) return undefined;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new ContentTooLargeError(`The body may be at most ${maxBytes} bytes.`);
  }
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length === 0 && options.optional) return undefined;
  if (!json) throw new UnsupportedMediaTypeError('Send the body as application/json.');
  if (bytes.length > maxBytes) {
    throw new ContentTooLargeError(`The body may be at most ${maxBytes} bytes.`);
  }
  if (bytes.length === 0) throw bodyError('The body is empty.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bodyError('The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw bodyError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

function bodyError(message: string): ValidationError {
  return new ValidationError([{ rule: 'body', message }], { message });
}
