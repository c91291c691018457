/**
 * The port for sending work to a storage queue. The real implementation base64-encodes the JSON
 * body, as the Functions queue trigger expects by default.
 */
export interface WorkQueue<T> {
  send(message: T, options?: { visibilityTimeoutSeconds?: number }): Promise<void>;
  sendMany(messages: readonly T[]): Promise<void>;
}
