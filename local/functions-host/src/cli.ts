/**
 * `npm run host -- --cwd <dir> [--port N]`: runs any v4 Node.js function app, as `func start`.
 * Flags: --cwd, --port, --bind, --master-key, --function-key, --log-format text|json,
 * --drain-timeout <ms>, --queue-lease <ms>. Settings: FUNCTIONS_MASTER_KEY,
 * FUNCTIONS_FUNCTION_KEY, FUNCTIONS_LOG_FORMAT.
 */
import { parseArgs } from 'node:util';
import { startHost } from './startHost.js';

const { values } = parseArgs({
  options: {
    cwd: { type: 'string', default: process.cwd() },
    port: { type: 'string' },
    bind: { type: 'string' },
    'master-key': { type: 'string' },
    'function-key': { type: 'string' },
    'log-format': { type: 'string' },
    'drain-timeout': { type: 'string' },
    'queue-lease': { type: 'string' },
  },
});

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, not "${value}".`);
    process.exit(2);
  }
  return n;
}

const format =
  values['log-format'] ??
  process.env.FUNCTIONS_LOG_FORMAT ??
  (process.stdout.isTTY ? 'text' : 'json');
if (format !== 'text' && format !== 'json') {
  console.error(`--log-format must be "text" or "json", not "${format}".`);
  process.exit(2);
}

try {
  const host = await startHost({
    appDir: values.cwd,
    port: numberFlag('port', values.port),
    bind: values.bind,
    masterKey: values['master-key'],
    functionKey: values['function-key'],
    logFormat: format,
    drainTimeoutMs: numberFlag('drain-timeout', values['drain-timeout']),
    queueLeaseMs: numberFlag('queue-lease', values['queue-lease']),
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(130);
    console.log(`Received ${signal}; stopping the host.`);
    host.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
} catch (error) {
  const err = error as NodeJS.ErrnoException & { port?: number };
  if (err.code === 'EADDRINUSE') {
    console.error(
      `Port ${err.port ?? values.port ?? 7071} is unavailable. Close the process using that port, or specify another port using --port [-p].`,
    );
  } else {
    console.error(
      `Host failed to start: ${err.name === 'HostStartupError' ? err.message : (err.stack ?? err.message)}`,
    );
  }
  process.exit(1);
}
