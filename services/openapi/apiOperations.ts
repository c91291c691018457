/**
 * What each HTTP function does, for the OpenAPI document: keyed by the function's name, beside
 * what its registration says (route, methods, roles). A function registered without an entry
 * here still appears in the document, but the test of the document fails until it has one.
 */
import type { z } from 'zod';
import { auditQuerySchema } from '../../shared/audit/readAuditDay.js';
import { cleanupRunListQuerySchema } from '../cleanup/listCleanupRuns.js';
import type { SchemaName } from './apiSchemas.js';

/** An answer other than a problem. */
export interface ResponseDescription {
  description: string;
  /** The JSON body's schema; absent for a body of another kind (`content`) or none. */
  schema?: SchemaName;
  /** Bodies that are not JSON: media type → an inline JSON Schema. */
  content?: Record<string, Record<string, unknown>>;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface OperationDescription {
  summary: string;
  description?: string;
  tag: 'Sandboxes' | 'Operations' | 'Cleanup' | 'Power' | 'Audit' | 'Service' | 'Page';
  /** What each `{parameter}` of the route is. */
  path?: Record<string, string>;
  /** The query, as the function validates it; each field is a parameter. */
  query?: z.ZodObject;
  /** Query parameters the function reads without a schema: name → description. */
  queryParameters?: Record<string, string>;
  /** Request headers the function reads: name → description and schema. */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
  requestBody?: { schema: SchemaName; required: boolean };
  responses: Record<number, ResponseDescription>;
  /** Problems this operation answers besides those of every operation (401, 403, 429, 500, 503). */
  problems: number[];
  deprecated?: boolean;
}

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before polling.', schema: { type: 'integer' } },
};
const operationLocation = {
  Location: {
    description: 'The operation to follow, `/api/operations/{id}`.',
    schema: { type: 'string' },
  },
  ...retryAfter,
};
const runLocation = {
  Location: {
    description: 'The run to follow, `/api/cleanup/runs/{id}`.',
    schema: { type: 'string' },
  },
  ...retryAfter,
};
const sandboxName = "The sandbox's name, which is its resource group's.";
const ownerQuery =
  "An admin acting on another owner's sandbox names the owner (object id); others may omit it.";
const runId = 'The run id (`20260115T090000Z-3f9a1c`), or `latest`.';

const startRun: OperationDescription = {
  summary: 'Start a cleanup run',
  description:
    'A dry run by default (`{"dryRun": false}` applies). The run plans first; a plan that trips ' +
    'the blast-radius breaker is `blocked` until someone approves it. One run at a time: while ' +
    'another is queued, blocked or applying, 409 `CleanupRunActive` names it (`runId`).',
  tag: 'Cleanup',
  requestBody: { schema: 'CleanupRunRequest', required: false },
  responses: {
    202: { description: 'The run was accepted.', schema: 'AcceptedRun', headers: runLocation },
  },
  problems: [400, 409, 413, 415],
};

const approveRun: OperationDescription = {
  summary: 'Approve a blocked run or a completed dry run',
  description:
    'Applies exactly the stored plan (each group is re-checked just before it is acted on). ' +
    'Nobody approves a run they started. Of approvals sent at once one is accepted; the others, ' +
    'and any later one, answer 409 `CleanupRunNotApprovable`; 409 `CleanupRunActive` while ' +
    'another run holds the subscriptions.',
  tag: 'Cleanup',
  path: { id: 'The run id.' },
  responses: {
    202: {
      description: 'The plan is being applied.',
      schema: 'AcceptedRun',
      headers: runLocation,
    },
  },
  problems: [404, 409],
};

/** Every HTTP function of the app, by name. */
export const apiOperations: Record<string, OperationDescription> = {
  createSandbox: {
    summary: 'Request a sandbox',
    description:
      'Validates the request, checks it against policy and queues it. The caller owns the ' +
      'sandbox; an admin may name another `owner`. `parameters` follow the blueprint’s schema ' +
      '(`GET /api/blueprints`). The answer names the operation to follow.',
    tag: 'Sandboxes',
    headers: {
      'Idempotency-Key': {
        description:
          'Makes retries safe: the same key and body return the same operation; the same key ' +
          'with another body is refused (422).',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
    },
    requestBody: { schema: 'SandboxRequest', required: true },
    responses: {
      202: {
        description: 'The request was accepted and queued.',
        schema: 'AcceptedOperation',
        headers: {
          ...operationLocation,
          'Idempotent-Replayed': {
            description: '`true` when an earlier request with this key made the operation.',
            schema: { type: 'string' },
          },
        },
      },
    },
    problems: [400, 409, 413, 415, 422],
  },
  listSandboxes: {
    summary: 'List sandboxes',
    description: "The caller's own; an admin sees every sandbox, or one owner's with `owner`.",
    tag: 'Sandboxes',
    queryParameters: { owner: ownerQuery },
    responses: { 200: { description: 'The sandboxes, by name.', schema: 'SandboxList' } },
    problems: [],
  },
  getSandbox: {
    summary: 'Show a sandbox',
    tag: 'Sandboxes',
    path: { name: sandboxName },
    responses: { 200: { description: 'The sandbox, from its tags.', schema: 'Sandbox' } },
    problems: [404],
  },
  extendSandbox: {
    summary: "Extend a sandbox's lease",
    description:
      'The lease ends `ttlHours` from now, at most the policy’s maximum. A sandbox being deleted ' +
      'is not extended: 409 `SandboxBeingDeleted`, with the teardown’s `operationId`; nor is ' +
      'what a failed provisioning left for inspection: 409 `SandboxFailed`.',
    tag: 'Sandboxes',
    path: { name: sandboxName },
    requestBody: { schema: 'ExtendRequest', required: true },
    responses: { 200: { description: 'The sandbox with its new lease.', schema: 'Sandbox' } },
    problems: [400, 404, 409, 413, 415, 422],
  },
  updateSandbox: {
    summary: "Change a sandbox's power schedule",
    description:
      'Sets the `sandbox-power-schedule` tag, in Cloud Custodian’s off-hours syntax ' +
      '(`off=(M-F,19);on=(M-F,7);tz=Europe/Berlin`); `off` opts the sandbox out.',
    tag: 'Sandboxes',
    path: { name: sandboxName },
    requestBody: { schema: 'UpdateSandboxRequest', required: true },
    responses: { 200: { description: 'The sandbox as it is now.', schema: 'Sandbox' } },
    problems: [400, 404, 409, 413, 415, 422],
  },
  deleteSandbox: {
    summary: 'Delete a sandbox',
    description:
      'One teardown per sandbox: a repeated delete answers the teardown already under way.',
    tag: 'Sandboxes',
    path: { name: sandboxName },
    queryParameters: { owner: ownerQuery },
    responses: {
      202: {
        description: 'The teardown was accepted.',
        schema: 'AcceptedOperation',
        headers: operationLocation,
      },
    },
    problems: [404, 409],
  },
  listSandboxResources: {
    summary: "List a sandbox's resources",
    description: 'The top-level resources ARM holds in the group now.',
    tag: 'Sandboxes',
    path: { name: sandboxName },
    responses: { 200: { description: 'The resources.', schema: 'ResourceList' } },
    problems: [404],
  },
  getSandboxHistory: {
    summary: "A sandbox's history",
    description: 'Its audit entries, newest first: requested, built, extended, deleted, …',
    tag: 'Sandboxes',
    path: { name: sandboxName },
    responses: { 200: { description: 'The entries.', schema: 'History' } },
    problems: [404],
  },
  listBlueprints: {
    summary: 'List blueprints',
    description: 'Each blueprint with the JSON Schema of its `parameters`.',
    tag: 'Sandboxes',
    responses: { 200: { description: 'The blueprints, by name.', schema: 'BlueprintList' } },
    problems: [],
  },
  getPolicy: {
    summary: 'What a sandbox request may ask for',
    tag: 'Sandboxes',
    responses: { 200: { description: 'The provisioning policy.', schema: 'Policy' } },
    problems: [],
  },
  getCaller: {
    summary: 'Who am I',
    description: 'The caller as the API sees it: object id, name and app roles.',
    tag: 'Service',
    responses: { 200: { description: 'The caller.', schema: 'Caller' } },
    problems: [],
  },
  getOperationStatus: {
    summary: 'Follow an operation',
    description:
      'Until `status` is `succeeded` or `failed`, the answer carries `Retry-After`: poll again ' +
      'after that many seconds.',
    tag: 'Operations',
    path: { id: 'The operation id (a GUID).' },
    responses: {
      200: {
        description: 'The operation, with its steps.',
        schema: 'Operation',
        headers: retryAfter,
      },
    },
    problems: [404],
  },
  cleanupStartRun: startRun,
  cleanupStartRunAsPrincipal: { ...startRun, deprecated: true },
  cleanupApproveRun: approveRun,
  cleanupApproveRunAsPrincipal: { ...approveRun, deprecated: true },
  powerGetRun: {
    summary: 'Show a power run',
    description:
      'What a run of the power schedules stopped, started, skipped and failed, each VM with its ' +
      'reason, and the compute hours saved. `latest` names the newest run.',
    tag: 'Power',
    path: { id: 'The run id, or `latest`.' },
    responses: { 200: { description: 'The run.', schema: 'PowerRun' } },
    problems: [404],
  },
  cleanupGetRun: {
    summary: 'Show a cleanup run',
    description:
      'Mode, status, counts, the breaker’s numbers, every group with its action, reason and ' +
      'outcome. With `?format=markdown` (or `Accept: text/markdown`), the summary for people.',
    tag: 'Cleanup',
    path: { id: runId },
    queryParameters: { format: '`markdown` for the summary.' },
    responses: {
      200: {
        description: 'The run, or its Markdown summary.',
        schema: 'CleanupRun',
        content: { 'text/markdown': { type: 'string' } },
      },
    },
    problems: [404],
  },
  cleanupListRuns: {
    summary: 'List cleanup runs',
    tag: 'Cleanup',
    query: cleanupRunListQuerySchema,
    responses: { 200: { description: 'The newest runs first.', schema: 'CleanupRunList' } },
    problems: [400],
  },
  auditTrail: {
    summary: 'Read the audit trail',
    description: 'One UTC day (today by default), newest first, a page at a time.',
    tag: 'Audit',
    query: auditQuerySchema,
    responses: { 200: { description: 'A page of the day.', schema: 'AuditPage' } },
    problems: [400],
  },
  health: {
    summary: 'Liveness',
    tag: 'Service',
    responses: { 200: { description: 'The app is up.', schema: 'Health' } },
    problems: [],
  },
  clientConfig: {
    summary: 'How to sign in',
    description: 'The authority, client id and scope a browser or CLI signs in with. No secret.',
    tag: 'Service',
    responses: { 200: { description: 'The public sign-in settings.', schema: 'ClientConfig' } },
    problems: [],
  },
  openApiDocument: {
    summary: 'This document',
    tag: 'Service',
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document of the API.',
        content: { 'application/json': { type: 'object' } },
      },
    },
    problems: [],
  },
  webPage: {
    summary: 'The web page',
    description: 'Revalidated on every load; a strict Content-Security-Policy.',
    tag: 'Page',
    responses: {
      200: { description: 'The page.', content: { 'text/html': { type: 'string' } } },
      304: { description: 'The cached page is current.' },
    },
    problems: [],
  },
  webAsset: {
    summary: "The page's scripts, styles and images",
    description: 'Named by a hash of their content; cached for a year.',
    tag: 'Page',
    path: { file: 'The asset’s name, `name-HASH.ext`.' },
    responses: {
      200: { description: 'The file.', content: { '*/*': {} } },
      304: { description: 'The cached file is current.' },
    },
    problems: [404],
  },
};
