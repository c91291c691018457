import { CLI_USAGE, parseCliConfig } from './cliConfig.js';
import { startEmulator } from './server.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(CLI_USAGE);
  process.exit(0);
}
try {
  const emulator = await startEmulator(parseCliConfig(args, process.env));
  const { endpoint, identityEndpoint, identityHeader, caCertPath, subscriptionId, entra } =
    emulator;
  // Passwords and secrets stay out of the output: GET /_emulator/entra lists them.
  const { authority, clientId, apiScope } = entra;
  console.log(
    `ARM emulator ready ${JSON.stringify({ endpoint, identityEndpoint, identityHeader, caCertPath, subscriptionId, entra: { authority, clientId, apiScope } })}`,
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
