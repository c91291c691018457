// Before any worker forks: one trusted CA for the run (see setupTestCertificates).
import { join } from 'node:path';
import { setupTestCertificates } from '../../src/testing/testCertificates.js';

export default async function setup(): Promise<void> {
  await setupTestCertificates(join(import.meta.dirname, '..', '..', '.local', 'certs'));
}
