import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureCertificates } from '@sandbox-automation/arm-emulator';
import type { Figure } from './figure.js';

const root = join(import.meta.dirname, '..');
const apiVersion = '2021-04-01';

interface Ready {
  endpoint: string;
  identityEndpoint: string;
  identityHeader: string;
  caCertPath: string;
  subscriptionId: string;
}

/** Starts `npm run emulator` as its own process, so client and server do not share a loop. */
async function startEmulatorProcess(): Promise<{ ready: Ready; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/arm-emulator/src/cli.ts',
      '--port',
      '0',
      '--identity-port',
      '0',
      '--entra-port',
      '0',
      '--throttling',
      'off',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = await new Promise<Ready>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('ARM emulator ready '));
      if (line) resolve(JSON.parse(line.slice('ARM emulator ready '.length)));
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { ready, child };
}

function send(
  agent: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Requests per second for `count` GETs of `url` with `concurrency` in flight. */
async function throughput(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  count: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        const { status } = await send(agent, url, { headers });
        if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * The emulator under load, from a separate process: GETs per second against a bare HTTPS server
 * with the same certificate (the ceiling for this machine), and paging 10,000 groups, where the
 * last page should cost what the first does.
 */
export async function emulatorFigures(): Promise<Figure[]> {
  const { ready, child } = await startEmulatorProcess();
  const certificates = await ensureCertificates(join(root, '.local', 'certs'));
  const ca = readFileSync(ready.caCertPath);
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 32 });
  const bare = createServer(
    { cert: readFileSync(certificates.certPath), key: readFileSync(certificates.keyPath) },
    (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
  try {
    const identity = await fetch(
      `${ready.identityEndpoint}?resource=https://management.azure.com&api-version=2019-08-01`,
      { headers: { 'X-IDENTITY-HEADER': ready.identityHeader } },
    );
    const { access_token: token } = (await identity.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}` };
    const groups = Array.from({ length: 10_000 }, (_, i) => ({
      name: `bench-${String(i).padStart(5, '0')}`,
      location: 'westeurope',
      tags: { 'managed-by': 'bench' },
    }));
    const seeded = await send(agent, `${ready.endpoint}/_emulator/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceGroups: groups }),
    });
    if (seeded.status !== 200) throw new Error(`seed answered ${seeded.status}: ${seeded.body}`);

    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const bareUrl = `https://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const groupUrl = `${ready.endpoint}/subscriptions/${ready.subscriptionId}/resourcegroups/bench-04242?api-version=${apiVersion}`;
    await throughput(agent, groupUrl, auth, 200, 32);
    await throughput(agent, bareUrl, {}, 200, 32);
    const armRate = await throughput(agent, groupUrl, auth, 3000, 32);
    const bareRate = await throughput(agent, bareUrl, {}, 3000, 32);

    const pageTimes: number[] = [];
    let url: string | undefined =
      `${ready.endpoint}/subscriptions/${ready.subscriptionId}/resourcegroups?api-version=${apiVersion}`;
    let listed = 0;
    while (url) {
      const started = performance.now();
      const page = await send(agent, url, { headers: auth });
      pageTimes.push(performance.now() - started);
      const body = JSON.parse(page.body) as { value: unknown[]; nextLink?: string };
      listed += body.value.length;
      url = body.nextLink;
    }
    const firstPages = pageTimes.slice(0, 2);
    const lastPages = pageTimes.slice(-2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      {
        name: 'emulator: GET resource group, 32 in flight',
        value: armRate,
        unit: 'req/s',
        higherIsBetter: true,
        detail: '3000 requests with token validation, throttling off',
        baseline: { name: 'bare HTTPS server, same TLS setup', value: bareRate },
      },
      {
        name: `emulator: list ${listed} groups, mean of the last 2 pages`,
        value: mean(lastPages),
        unit: 'ms',
        detail: `${pageTimes.length} pages, ${pageTimes.reduce((a, b) => a + b, 0).toFixed(0)} ms in all`,
        baseline: { name: 'mean of the first 2 pages', value: mean(firstPages) },
      },
    ];
  } finally {
    agent.destroy();
    bare.close();
    child.kill('SIGTERM');
  }
}
