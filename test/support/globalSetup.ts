/**
 * Runs once in the main vitest process before any worker starts. Workers are forked processes
 * and inherit the environment set here: NODE_EXTRA_CA_CERTS is read by Node only at process
 * start, so this is where the tests come to trust the local ARM emulator's certificate.
 */
import { join } from 'node:path';
import { setupTestCertificates } from '@sandbox-automation/arm-emulator/testing';
// @ts-expect-error: a plain ESM build script without type declarations
import { buildApp } from '../../scripts/build.mjs';

const root = join(import.meta.dirname, '..', '..');

export default async function setup(): Promise<void> {
  await setupTestCertificates(join(root, '.local', 'certs'));
  // End-to-end tests run the same bundle that is deployed.
  await buildApp(join(root, 'dist', 'app'));
}
