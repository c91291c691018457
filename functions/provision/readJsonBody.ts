import type { HttpRequest } from '@azure/functions';
import { HttpInputError } from './HttpInputError.js';

/** Sandbox requests are small; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The request's JSON body: `application/json` (or `+json`) only, at most `MAX_BODY_BYTES`, and
 * well-formed. Anything else throws `HttpInputError` with 415, 413 or 400.
 *
 * @example
 * const body = await readJsonBody(request); // unknown: validate it next
 */
export async function readJsonBody(
  request: HttpRequest,
  maxBytes = MAX_BODY_BYTES,
): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new HttpInputError(415, 'Unsupported Media Type', 'Send the body as application/json.');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpInputError(
      413,
      'Content Too Large',
      `The body may be at most ${maxBytes} bytes.`,
    );
  }
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) {
    throw new HttpInputError(
      413,
      'Content Too Large',
      `The body may be at most ${maxBytes} bytes.`,
    );
  }
  if (bytes.length === 0) throw new HttpInputError(400, 'Bad Request', 'The body is empty.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpInputError(400, 'Bad Request', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpInputError(
      400,
      'Bad Request',
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
