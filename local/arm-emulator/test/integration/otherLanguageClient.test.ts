/**
 * The emulator's promise to clients in any language: given only a different endpoint, a CA
 * bundle and the two managed-identity variables, an ARM client works against it unchanged. Here
 * the client is Python with nothing but its standard library (urllib + ssl), run as a child
 * process with an environment that holds nothing else.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';

const pythonMissing = spawnSync('python3', ['--version']).error !== undefined;

/** Discovers its subscription, then runs a resource group's life; prints one JSON summary. */
const clientScript = `
import json, os, ssl, time, urllib.error, urllib.request

arm = os.environ["ARM_ENDPOINT"].rstrip("/")
tls = ssl.create_default_context(cafile=os.environ["REQUESTS_CA_BUNDLE"])
API = "api-version=2021-04-01"

def call(method, url, token=None, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, context=tls, timeout=10) as response:
            status, answer_headers, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, text = error.code, error.headers, error.read()
    return {
        "status": status,
        "headers": {k.lower(): v for k, v in answer_headers.items()},
        "body": json.loads(text) if text else None,
    }

identity = call(
    "GET",
    os.environ["IDENTITY_ENDPOINT"] + "?resource=https://management.azure.com&api-version=2019-08-01",
    headers={"X-IDENTITY-HEADER": os.environ["IDENTITY_HEADER"]},
)
token = identity["body"]["access_token"]

anonymous = call("GET", arm + "/subscriptions?" + API)
subscriptions = call("GET", arm + "/subscriptions?" + API, token)
subscription = subscriptions["body"]["value"][0]["subscriptionId"]
group = arm + "/subscriptions/" + subscription + "/resourcegroups/python-rg?" + API

put = call("PUT", group, token, {"location": "westeurope", "tags": {"client": "python"}})
got = call("GET", group, token)
listed = call("GET", arm + "/subscriptions/" + subscription + "/resourcegroups?" + API, token)
deleted = call("DELETE", group, token)

polls = []
location = deleted["headers"].get("location")
while location and len(polls) < 100:
    poll = call("GET", location, token)
    polls.append(poll["status"])
    if poll["status"] != 202:
        break
    time.sleep(max(0.02, min(float(poll["headers"].get("retry-after", "1")), 1.0)))
after = call("GET", group, token)

print(json.dumps({
    "identity": {"status": identity["status"], "tokenType": identity["body"]["token_type"],
                 "resource": identity["body"]["resource"],
                 "expiresOn": identity["body"]["expires_on"]},
    "anonymous": {"status": anonymous["status"], "error": anonymous["body"]["error"]["code"],
                  "wwwAuthenticate": anonymous["headers"].get("www-authenticate")},
    "subscription": subscription,
    "put": {"status": put["status"], "body": put["body"],
            "requestId": put["headers"].get("x-ms-request-id")},
    "get": {"status": got["status"], "body": got["body"]},
    "list": {"status": listed["status"], "names": [g["name"] for g in listed["body"]["value"]]},
    "delete": {"status": deleted["status"], "location": location,
               "retryAfter": deleted["headers"].get("retry-after")},
    "polls": polls,
    "afterDelete": {"status": after["status"], "error": after["body"]["error"]["code"]},
}))
`;

describe('an ARM client in another language', () => {
  let arm: TestEmulator;

  beforeAll(async () => {
    arm = await startTestEmulator();
  });
  afterAll(() => arm?.close());

  it.skipIf(pythonMissing)(
    `Python's standard library manages a resource group with only an endpoint, a CA bundle and the identity variables${pythonMissing ? ' (skipped: python3 is not on PATH)' : ''}`,
    async () => {
      // Prepare: nothing of this process's environment but where to find python3
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ARM_ENDPOINT: arm.endpoint,
        REQUESTS_CA_BUNDLE: arm.caCertPath,
        IDENTITY_ENDPOINT: arm.identityEndpoint,
        IDENTITY_HEADER: arm.identityHeader,
      };
      // Act: asynchronously, since the emulator answers from this very process
      const { stdout } = await promisify(execFile)('python3', ['-c', clientScript], {
        env,
        timeout: 30_000,
      });
      // Assess
      const summary = JSON.parse(stdout);
      expect(summary).toMatchObject({
        identity: {
          status: 200,
          tokenType: 'Bearer',
          resource: 'https://management.azure.com',
          expiresOn: expect.stringMatching(/^\d+$/),
        },
        anonymous: {
          status: 401,
          error: 'AuthenticationFailed',
          wwwAuthenticate: expect.stringContaining('Bearer authorization_uri='),
        },
        subscription: arm.subscriptionId,
        put: {
          status: 201,
          body: {
            id: `/subscriptions/${arm.subscriptionId}/resourceGroups/python-rg`,
            name: 'python-rg',
            location: 'westeurope',
            tags: { client: 'python' },
            properties: { provisioningState: 'Succeeded' },
          },
          requestId: expect.any(String),
        },
        get: { status: 200, body: { name: 'python-rg', location: 'westeurope' } },
        list: { status: 200, names: expect.arrayContaining(['python-rg']) },
        delete: {
          status: 202,
          location: expect.stringMatching(new RegExp(`^${arm.endpoint}/subscriptions/`)),
          retryAfter: expect.stringMatching(/^\d+$/),
        },
        afterDelete: { status: 404, error: 'ResourceGroupNotFound' },
      });
      expect(summary.polls.at(-1)).toBe(200);
      expect(summary.polls.slice(0, -1).every((status: number) => status === 202)).toBe(true);
    },
  );
});
