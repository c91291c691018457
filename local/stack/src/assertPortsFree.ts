import { createServer } from 'node:net';

/** Thrown when a port the local stack needs is taken; names the port and who needed it. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly service: string;
  readonly setting: string;
  constructor(service: string, port: number, setting: string) {
    super(
      `Port ${port} (${service}) is already in use. Stop whatever is listening on it, or choose another port with ${setting}=<port>.`,
    );
    this.name = 'PortInUseError';
    this.port = port;
    this.service = service;
    this.setting = setting;
  }
}

export interface PortClaim {
  service: string;
  port: number;
  /** The environment variable that moves this service to another port. */
  setting: string;
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails fast, before anything starts, when one of the fixed local ports is taken.
 *
 * @example
 * await assertPortsFree([{ service: 'Functions host', port: 7071, setting: 'LOCAL_HOST_PORT' }]);
 */
export async function assertPortsFree(claims: PortClaim[], host = '127.0.0.1'): Promise<void> {
  for (const claim of claims) {
    if (claim.port !== 0 && !(await isFree(claim.port, host))) {
      throw new PortInUseError(claim.service, claim.port, claim.setting);
    }
  }
}
