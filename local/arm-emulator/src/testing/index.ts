// Helpers for tests that run the emulator: in-process start on ephemeral ports, its control
// API over real HTTPS, and one trusted CA for a whole test run.
export {
  controlClient,
  type EmulatorControl,
  type EmulatorStats,
  type PublishedEventEntry,
  startTestEmulator,
  type TestEmulator,
} from './startTestEmulator.js';
export { setupTestCertificates, testCertDir } from './testCertificates.js';
