/**
 * Helpers for the provisioning end-to-end tests: calling the API as a principal or as automation,
 * following an operation to its end, and reading what really exists in the ARM emulator.
 */

import { BlobServiceClient } from '@azure/storage-blob';
import { groupKeyOf } from '@sandbox-automation/arm-emulator';
import type { Stack } from '../stack.js';

export interface ApiCall {
  method?: string;
  body?: unknown;
  /** Sign in as this test user or service principal (default: an admin pipeline; see `stackDirectory`). */
  as?: string;
  headers?: Record<string, string>;
}

/** Calls the API signed in; answers status, headers and parsed JSON body. */
export async function callApi(stack: Stack, path: string, call: ApiCall = {}) {
  const headers: Record<string, string> = { ...call.headers };
  if (call.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await stack.fetch(path, {
    method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(call.as ? { as: call.as } : {}),
    ...(call.body === undefined
      ? {}
      : { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: test helper returns loosely typed JSON
  const json: any = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, json };
}

/** Polls `GET /api/operations/{id}` until it is `succeeded` or `failed`. */
export async function waitForOperation(stack: Stack, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, json } = await callApi(stack, `/api/operations/${id}`);
    if (status !== 200)
      throw new Error(`GET /api/operations/${id} answered ${status}: ${JSON.stringify(json)}`);
    if (json?.status === 'succeeded' || json?.status === 'failed') return json;
    if (Date.now() > deadline)
      throw new Error(`operation ${id} still ${json?.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The group as the emulator holds it, or `undefined`. */
export function groupInEmulator(stack: Stack, name: string) {
  return stack.arm.core.state.groups.get(groupKeyOf(stack.arm.subscriptionId, name));
}

/** Every resource in the group, as the emulator holds them, sorted by type. */
export function resourcesInEmulator(stack: Stack, group: string) {
  const key = groupKeyOf(stack.arm.subscriptionId, group);
  return [...stack.arm.core.state.resources.values()]
    .filter((r) => r.groupKey === key)
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** The operation's stored record (as the worker writes it, poller state included), from Azurite. */
export async function storedOperation(
  stack: Stack,
  id: string,
): Promise<{ steps: { name: string; resumeToken?: string }[] } | undefined> {
  const blob = BlobServiceClient.fromConnectionString(stack.storage.connectionString)
    .getContainerClient(stack.settings.RECORDS_CONTAINER ?? 'sandbox-records')
    .getBlobClient(`operations/${id}.json`);
  if (!(await blob.exists())) return undefined;
  return JSON.parse((await blob.downloadToBuffer()).toString('utf8'));
}
