/**
 * What `npm start` does, for any function app: checks the ports, lets the app prepare (build its
 * bundle), then runs Azurite, the ARM emulator and the Functions host in one process tree until
 * Ctrl-C. Ports: LOCAL_HOST_PORT (7071), LOCAL_ARM_PORT (8443), LOCAL_IDENTITY_PORT (8444),
 * LOCAL_ENTRA_PORT (8445), AZURITE_BLOB_PORT (10000), AZURITE_QUEUE_PORT (10001),
 * AZURITE_TABLE_PORT (10002).
 */
import { assertPortsFree, PortInUseError } from './assertPortsFree.js';
import {
  type LocalStackOptions,
  localPorts,
  portClaims,
  startLocalStack,
} from './startLocalStack.js';

export interface RunLocalStackOptions
  extends Pick<
    LocalStackOptions,
    | 'settings'
    | 'appRoleAssignments'
    | 'userRoleAssignments'
    | 'entra'
    | 'azureEvents'
    | 'sinkSettings'
  > {
  /** The function app's folder (its package.json `main`, host.json, local.settings.json). */
  appDir: string;
  /** Runs after the ports are known to be free and before anything starts: build the app here. */
  prepare?: () => Promise<unknown>;
}

/**
 * Runs the stack in the foreground and exits the process when it stops.
 *
 * @example
 * await runLocalStack({ appDir: root, prepare: () => buildApp() });
 */
export async function runLocalStack(options: RunLocalStackOptions): Promise<void> {
  const started = performance.now();
  try {
    // Checked before the build too, so that a taken port fails in a second, not after a build.
    await assertPortsFree(portClaims(localPorts(process.env)));
    await options.prepare?.();
    const stack = await startLocalStack({
      root: options.appDir,
      env: process.env,
      write: (text) => process.stdout.write(text),
      logFormat: process.stdout.isTTY ? 'text' : 'json',
      settings: options.settings,
      appRoleAssignments: options.appRoleAssignments,
      userRoleAssignments: options.userRoleAssignments,
      entra: options.entra,
      azureEvents: options.azureEvents,
      sinkSettings: options.sinkSettings,
    });
    const { runtime } = stack;
    process.stdout.write(
      [
        '',
        `Local stack ready in ${((performance.now() - started) / 1000).toFixed(1)} s (details in .local/runtime.json):`,
        `  Functions host   ${runtime.host.url}   (keys in .local/runtime.json)`,
        `  ARM emulator     ${runtime.arm.endpoint}   subscription ${runtime.arm.subscriptionId}`,
        `  Managed identity ${runtime.identity.endpoint}`,
        `  Entra ID         ${runtime.entra.authority}   (test users in .local/runtime.json)`,
        `  Azurite          blob ${runtime.storage.blobEndpoint}, queue ${runtime.storage.queueEndpoint}`,
        ...(runtime.azureEvents
          ? [
              `  Azure events     the subscription's ARM events to queue '${runtime.azureEvents.queueName}' (set up by ${runtime.azureEvents.caller})`,
            ]
          : []),
        `  Webhook sink     ${runtime.sink.url}   (GET ${runtime.sink.url}/_sink/events)`,
        `  Try: curl ${runtime.host.url}/api/health`,
        `       npm run token -- --user ${runtime.entra.users[0]?.username ?? '<username>'}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    let stopping = false;
    const shutdown = (reason: string, code: number) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${reason} Stopping…\n`);
      stack.stop().then(
        () => process.exit(code),
        (error: Error) => {
          console.error(error);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('Received SIGINT.', 0));
    process.on('SIGTERM', () => shutdown('Received SIGTERM.', 0));
    void stack.crashed.then((reason) => shutdown(reason, 1));
  } catch (error) {
    if (error instanceof PortInUseError) {
      console.error(error.message);
    } else {
      console.error(`npm start failed: ${(error as Error).stack ?? error}`);
    }
    process.exit(1);
  }
}
