import { randomUUID } from 'node:crypto';

/**
 * An error as Entra's token endpoint answers it: an OAuth `error` code, an `AADSTS` number and
 * its message, with the trace and correlation ids appended to `error_description`.
 *
 * @example
 * throw EntraError.invalidGrant(50126, 'Error validating credentials due to invalid username or password.');
 */
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
  ) {
    super(`AADSTS${code}: ${message}`);
    this.name = 'EntraError';
  }

  static invalidRequest = (code: number, message: string) =>
    new EntraError(400, 'invalid_request', code, message);
  static invalidGrant = (code: number, message: string) =>
    new EntraError(400, 'invalid_grant', code, message);
  static invalidClient = (code: number, message: string) =>
    new EntraError(401, 'invalid_client', code, message);
  static invalidScope = (code: number, message: string) =>
    new EntraError(400, 'invalid_scope', code, message);
  static missing = (parameter: string) =>
    EntraError.invalidRequest(
      900144,
      `The request body must contain the following parameter: '${parameter}'.`,
    );

  toBody(correlationId: string, now: Date): Record<string, unknown> {
    const traceId = randomUUID();
    const timestamp = now
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return {
      error: this.error,
      error_description: `${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
    };
  }
}
