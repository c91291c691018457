import type { TestEmulator } from '@sandbox-automation/arm-emulator/testing';

/**
 * Calls ARM as the emulator's system identity, which the test stack keeps Owner of the
 * subscription (the app runs as another identity): for set-up behind the app's back, such as
 * role assignments and role definitions. Answers the parsed body; throws on any error status.
 *
 * @example
 * await armAsOwner(arm, 'PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${id}?api-version=2022-04-01`, body);
 */
export async function armAsOwner(
  arm: Pick<TestEmulator, 'identityEndpoint' | 'identityHeader' | 'endpoint'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const identity = await fetch(
    `${arm.identityEndpoint}?resource=https://management.azure.com&api-version=2019-08-01`,
    { headers: { 'X-IDENTITY-HEADER': arm.identityHeader } },
  );
  const { access_token } = (await identity.json()) as { access_token: string };
  const res = await fetch(`${arm.endpoint}${path}`, {
    method,
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
