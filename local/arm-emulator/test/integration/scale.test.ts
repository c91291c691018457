import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, rawRequest } from './armClients.js';

const GROUPS = 10_000;

describe('scale', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    const old = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    for (let chunk = 0; chunk < GROUPS; chunk += 2_500) {
      await arm.control.seed({
        resourceGroups: Array.from({ length: 2_500 }, (_, i) => ({
          name: `sandbox-${String(chunk + i).padStart(5, '0')}`,
          location: 'westeurope',
          tags: { purpose: 'sandbox', lease: String((chunk + i) % 7) },
          ...((chunk + i) % 10 === 0 ? { createdTime: old } : {}),
          resources: [{ type: 'Microsoft.Storage/storageAccounts', name: `st${chunk + i}` }],
        })),
      });
    }
  });
  afterAll(() => arm.close());

  it('pages through 10,000 groups without slowing down', async () => {
    // Act
    const pageTimes: number[] = [];
    let total = 0;
    let last = performance.now();
    for await (const page of clients.resources.resourceGroups.list().byPage()) {
      const now = performance.now();
      pageTimes.push(now - last);
      last = now;
      total += page.length;
    }
    // Assess
    expect(total).toBe(GROUPS);
    expect(pageTimes.length).toBe(10);
    const head = median(pageTimes.slice(1, 4));
    const tail = median(pageTimes.slice(-3));
    // Cursor paging: the last pages cost what the first ones do (generous bound for a busy box).
    expect(tail).toBeLessThan(head * 3 + 20);
    console.log(`10k groups: ${pageTimes.map((t) => t.toFixed(0)).join(' ')} ms per page`);
  });

  it('answers the seeded creation times in the past on the group list', async () => {
    const token = await armToken(clients.credential);
    const page = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/resourcegroups?api-version=2025-04-01&%24expand=createdTime`,
      { token },
    );
    const value = (page.body as { value: Array<{ createdTime: string }> }).value;
    const old = value.filter((g) => Date.parse(g.createdTime) < Date.now() - 29 * 86_400_000);
    expect(value.length).toBe(1000);
    expect(old.length).toBe(100);
  });

  it('serves hundreds of requests per second', async () => {
    // Prepare
    const token = await armToken(clients.credential);
    const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: readFileSync(arm.caCertPath) });
    const get = (i: number) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${arm.endpoint}/subscriptions/${arm.subscriptionId}/resourceGroups/sandbox-${String(i).padStart(5, '0')}?api-version=2025-04-01`,
          { agent, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
    // Act
    const count = 1_000;
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 16) {
      statuses.push(...(await Promise.all(Array.from({ length: 16 }, (_, j) => get(i + j)))));
    }
    const perSecond = count / ((performance.now() - started) / 1000);
    agent.destroy();
    // Assess
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(count);
    expect(perSecond).toBeGreaterThan(200);
    console.log(
      `GET resource group: ${perSecond.toFixed(0)} req/s (client and emulator in one process)`,
    );
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
