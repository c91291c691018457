// Helpers for tests that run function apps on this host: the host as a child process (so a test
// can kill -9 it), and Azurite for the storage its triggers and bindings use.
export {
  azuriteConnectionString,
  devAccountKey,
  devAccountName,
  type RunningAzurite,
  startAzurite,
  stopChild,
} from './startAzurite.js';
export { type HostProcess, type HostProcessOptions, startHostProcess } from './startHostProcess.js';
