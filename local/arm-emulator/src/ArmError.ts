/**
 * An error that the emulator answers in ARM's shape: `{"error":{"code","message"}}` with a status.
 *
 * @example
 * throw new ArmError(404, 'ResourceGroupNotFound', "Resource group 'rg' could not be found.");
 */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
