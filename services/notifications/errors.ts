import { AppError } from '../../shared/errors.js';

/** A message on a notification queue that cannot be read. Permanent: it reads the same again. */
export class InvalidNotificationMessageError extends AppError {
  constructor(detail: string) {
    super(`Invalid notification message: ${detail}`, {
      kind: 'permanent',
      code: 'InvalidNotificationMessage',
    });
    this.name = 'InvalidNotificationMessageError';
  }
}
