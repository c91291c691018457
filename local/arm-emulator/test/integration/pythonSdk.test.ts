/**
 * The Python SDK packages Debian ships (`python3-azure`: azure-identity, azure-mgmt-resource,
 * azure-mgmt-storage) against the emulator, unchanged but for the endpoint: the managed identity
 * through IDENTITY_ENDPOINT/IDENTITY_HEADER, a storage account through its 202 + Location
 * poller, a container, the registry's api-version check and ARM's tag limits. They are old
 * clients (api-version 2022-09-01): the registry must accept every published version, not only
 * the newest. `.ci/run` installs the package; a machine without it skips this with the reason.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';

/** Debian's interpreter: `python3-azure` installs into its dist-packages, not a pyenv's. */
const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, [
  '-c',
  'import azure.identity, azure.mgmt.resource, azure.mgmt.storage',
]);
const missing =
  probe.error !== undefined || probe.status !== 0
    ? `skipped: ${PYTHON} cannot import azure.identity, azure.mgmt.resource and azure.mgmt.storage; install python3-azure (apt-get install -y python3-azure)`
    : undefined;

const clientScript = `
import json, os
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import ManagedIdentityCredential
from azure.mgmt.resource import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient

endpoint = os.environ["ARM_ENDPOINT"]
sub = os.environ["SUBSCRIPTION_ID"]
credential = ManagedIdentityCredential()
options = dict(base_url=endpoint, credential_scopes=["https://management.azure.com/.default"])
resources = ResourceManagementClient(credential, sub, **options)
storage = StorageManagementClient(credential, sub, **options)

def error_of(call):
    try:
        call()
    except HttpResponseError as error:
        return {"status": error.status_code, "code": error.error.code if error.error else None}
    return None

group = resources.resource_groups.create_or_update("py-rg", {"location": "westeurope"})
account = storage.storage_accounts.begin_create(
    "py-rg", "stpython",
    {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}},
).result()
container = storage.blob_containers.create("py-rg", "stpython", "data", {})
service = storage.blob_services.get_service_properties("py-rg", "stpython")
unpublished = error_of(lambda: resources.resources.get_by_id(account.id, "2023-13-45"))
too_many = error_of(lambda: resources.resource_groups.update(
    "py-rg", {"tags": {"t%d" % i: "v" for i in range(51)}}))
storage.storage_accounts.delete("py-rg", "stpython")
gone = error_of(lambda: storage.storage_accounts.get_properties("py-rg", "stpython"))
resources.resource_groups.begin_delete("py-rg").result()

print(json.dumps({
    "group": group.name,
    "account": {"state": account.provisioning_state, "blob": account.primary_endpoints.blob,
                "tier": account.sku.tier, "created": account.creation_time is not None},
    "container": {"name": container.name, "publicAccess": container.public_access},
    "service": service.name,
    "unpublished": unpublished,
    "tooMany": too_many,
    "gone": gone,
    "groupExists": resources.resource_groups.check_existence("py-rg"),
}))
`;

describe('the Python SDK that Debian ships (python3-azure)', () => {
  let arm: TestEmulator;

  beforeAll(async () => {
    arm = await startTestEmulator();
  });
  afterAll(() => arm?.close());

  it.skipIf(missing !== undefined)(
    `manages a group and a storage account with azure-identity and azure-mgmt-*${missing ? ` (${missing})` : ''}`,
    async () => {
      // Prepare: only what a deployed app would have, plus where the emulator is
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ARM_ENDPOINT: arm.endpoint,
        SUBSCRIPTION_ID: arm.subscriptionId,
        REQUESTS_CA_BUNDLE: arm.caCertPath,
        IDENTITY_ENDPOINT: arm.identityEndpoint,
        IDENTITY_HEADER: arm.identityHeader,
      };
      // Act
      const { stdout } = await promisify(execFile)(PYTHON, ['-c', clientScript], {
        env,
        timeout: 60_000,
      });
      // Assess
      expect(JSON.parse(stdout)).toEqual({
        group: 'py-rg',
        account: {
          state: 'Succeeded',
          blob: 'https://stpython.blob.core.windows.net/',
          tier: 'Standard',
          created: true,
        },
        container: { name: 'data', publicAccess: 'None' },
        service: 'default',
        unpublished: { status: 400, code: 'NoRegisteredProviderFound' },
        tooMany: { status: 400, code: 'InvalidTags' },
        gone: { status: 404, code: 'ResourceNotFound' },
        groupExists: false,
      });
    },
  );
});
