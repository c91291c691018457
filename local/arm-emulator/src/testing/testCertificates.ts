/**
 * One local CA and one set of token signing keys for a whole test run. Node reads
 * `NODE_EXTRA_CA_CERTS` only when a process starts, so a run's global setup calls
 * `setupTestCertificates` before the test workers fork; they inherit the variables set here. When
 * several test projects run together (the repository's root `npm test`), the first setup picks the
 * directory and the others reuse it, so every emulator, Azurite and client in the run trusts the
 * same CA, and every emulator accepts the others' tokens.
 */
import { join } from 'node:path';
import { type CertificatePaths, ensureCertificates } from '../certificates.js';
import { SigningKeys } from '../entra/SigningKeys.js';

const variable = 'ARM_EMULATOR_TEST_CERT_DIR';

/**
 * Creates (or reuses) the run's CA, server certificate and token signing keys, and makes this
 * process and its children trust the CA.
 *
 * @example
 * export default async function setup() { await setupTestCertificates(join(root, '.local', 'certs')); }
 */
export async function setupTestCertificates(defaultDir: string): Promise<CertificatePaths> {
  process.env[variable] ??= defaultDir;
  const certificates = await ensureCertificates(process.env[variable]);
  await SigningKeys.ensure(process.env[variable]);
  process.env.NODE_EXTRA_CA_CERTS = certificates.caCertPath;
  process.env.TEST_CA_CERT_PATH = certificates.caCertPath;
  return certificates;
}

/**
 * The run's certificate directory, as the global setup chose it (this workspace's `.local/certs`
 * when no setup ran).
 *
 * @example
 * const { certPath, keyPath } = await ensureCertificates(testCertDir());
 */
export function testCertDir(): string {
  return process.env[variable] ?? join(import.meta.dirname, '..', '..', '.local', 'certs');
}
