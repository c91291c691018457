import { AppError } from '../../shared/errors.js';

/**
 * The HTTP request itself is unusable (wrong content type, too large, not JSON, an unreadable
 * principal), before any service sees it. Carries the status to answer.
 *
 * @example
 * throw new HttpInputError(415, 'Unsupported Media Type', 'Send application/json.');
 */
export class HttpInputError extends AppError {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail, { kind: 'permanent', code: title.replace(/\s+/g, '') });
    this.name = 'HttpInputError';
  }
}
