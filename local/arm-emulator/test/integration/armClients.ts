/** Real SDK clients and raw HTTPS helpers pointed at a test emulator. */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ComputeManagementClient } from '@azure/arm-compute';
import { EventGridManagementClient } from '@azure/arm-eventgrid';
import { ManagementLockClient } from '@azure/arm-locks';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
import type { TokenCredential } from '@azure/core-auth';
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  UsernamePasswordCredential,
} from '@azure/identity';
import type { TestEmulator } from '../../src/testing/startTestEmulator.js';

export const POLL = { updateIntervalInMs: 5 };

/** Points the managed-identity env at the emulator, then builds the credential and clients. */
export function armClients(arm: TestEmulator, credential?: TokenCredential) {
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  const cred = credential ?? new DefaultAzureCredential();
  const options = { endpoint: arm.endpoint };
  // These two build URLs from `$host`, not from `endpoint`.
  const hosted = { endpoint: arm.endpoint, $host: arm.endpoint };
  return {
    credential: cred,
    resources: new ResourceManagementClient(cred, arm.subscriptionId, options),
    compute: new ComputeManagementClient(cred, arm.subscriptionId, options),
    locks: new ManagementLockClient(cred, arm.subscriptionId, options),
    storage: new StorageManagementClient(cred, arm.subscriptionId, options),
    authorization: new AuthorizationManagementClient(cred, arm.subscriptionId, hosted),
    msi: new ManagedServiceIdentityClient(cred, arm.subscriptionId, hosted),
    eventGrid: new EventGridManagementClient(cred, arm.subscriptionId, options),
  };
}

/** The local Entra ID as `@azure/identity` needs it: its own host, and no instance discovery. */
const entraOptions = (arm: TestEmulator) => ({
  authorityHost: arm.entra.authorityHost,
  disableInstanceDiscovery: true,
});

/** A service principal of the local directory, by display name, signing in with its secret. */
export function servicePrincipal(arm: TestEmulator, displayName: string) {
  const principal = arm.entra.servicePrincipals.find((sp) => sp.displayName === displayName);
  if (!principal) throw new Error(`no service principal '${displayName}'`);
  return {
    ...principal,
    credential: new ClientSecretCredential(
      arm.entra.tenantId,
      principal.clientId,
      principal.clientSecret,
      entraOptions(arm),
    ),
  };
}

/** A user of the local directory signing in with their password, through the API's client. */
export function user(arm: TestEmulator, username: string) {
  const found = arm.entra.users.find((candidate) => candidate.username === username);
  if (!found) throw new Error(`no user '${username}'`);
  return {
    ...found,
    credential: new UsernamePasswordCredential(
      arm.entra.tenantId,
      arm.entra.clientId,
      found.username,
      found.password,
      entraOptions(arm),
    ),
  };
}

/** `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{id}` */
export const roleDefinitionId = (arm: TestEmulator, id: string) =>
  `/subscriptions/${arm.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/** A plain HTTPS request, trusting only the emulator's CA, for shapes the SDK hides. */
export function rawRequest(
  arm: TestEmulator,
  method: string,
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string>; host?: string } = {},
): Promise<RawResponse> {
  const url = new URL(`${arm.endpoint}${path}`);
  if (options.host) url.hostname = options.host;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(arm.caCertPath),
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An ARM token from the emulator's identity endpoint, through the real credential. */
export async function armToken(credential: TokenCredential): Promise<string> {
  const token = await credential.getToken('https://management.azure.com/.default');
  if (!token) throw new Error('no token');
  return token.token;
}

/** Reads the error code of a RestError-like failure. */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; statusCode?: number; message: string };
  }
  throw new Error('expected the call to fail');
}
