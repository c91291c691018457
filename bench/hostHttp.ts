import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseReadyLine } from '@sandbox-automation/functions-host';
import autocannon from 'autocannon';
import type { Figure } from './figure.js';
import { summarize } from './figure.js';

const root = join(import.meta.dirname, '..');
const fixture = join(import.meta.dirname, 'fixtures', 'health-app');

/** Spawns a server and resolves with its base URL once `parse` finds it in a stdout line. */
function startServer(
  args: string[],
  parse: (line: string) => string | undefined,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FUNCTIONS_LOG_FORMAT: 'json' },
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const url = parse(line);
        if (url === undefined) continue;
        // From here on the output is drained and dropped, as a terminal would take it.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ url, child });
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** Requests per second of `GET url` over `seconds`, with `connections` kept alive. */
async function requestsPerSecond(url: string, seconds: number, connections = 32): Promise<number> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`GET ${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.total / seconds;
}

/**
 * The local host's HTTP path under load: `GET /api/health` of a one-function app through the
 * host CLI (the app's programming model, hooks, logs and all), against a bare node:http server
 * answering the same JSON, each in its own process, measured in alternating rounds so that the
 * machine's noise falls on both alike.
 */
export async function hostHttpFigures(rounds = 3, seconds = 3): Promise<Figure[]> {
  const host = await startServer(
    ['--import', 'tsx', 'local/functions-host/src/cli.ts', '--cwd', fixture, '--port', '0'],
    (line) => parseReadyLine(line)?.url,
  );
  const bare = await startServer([join(import.meta.dirname, 'hostHttpBare.mjs')], (line) =>
    line.startsWith('port ') ? `http://127.0.0.1:${line.slice(5)}` : undefined,
  );
  try {
    const hostUrl = `${host.url}/api/health`;
    const bareUrl = `${bare.url}/api/health`;
    await requestsPerSecond(hostUrl, 1);
    await requestsPerSecond(bareUrl, 1);
    const hostRates: number[] = [];
    const bareRates: number[] = [];
    for (let i = 0; i < rounds; i++) {
      hostRates.push(await requestsPerSecond(hostUrl, seconds));
      bareRates.push(await requestsPerSecond(bareUrl, seconds));
    }
    const hostRate = summarize(hostRates).median;
    const bareRate = summarize(bareRates).median;
    return [
      {
        name: 'host: GET /api/health through the local Functions host, 32 connections',
        value: hostRate,
        unit: 'req/s',
        higherIsBetter: true,
        detail: `median of ${rounds} rounds of ${seconds} s`,
        baseline: { name: 'bare node:http server, same answer', value: bareRate },
      },
    ];
  } finally {
    host.child.kill('SIGKILL');
    bare.child.kill('SIGKILL');
  }
}

// `npx tsx bench/hostHttp.ts` runs this figure alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatFigure } = await import('./figure.js');
  for (const figure of await hostHttpFigures()) console.log(formatFigure(figure));
}
