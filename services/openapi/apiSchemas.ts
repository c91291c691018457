/**
 * The API's shapes as zod schemas, named for the OpenAPI document's `components.schemas`. Request
 * bodies are the schemas the API parses them with (`sandboxRequestSchema`, `extendRequestSchema`,
 * the cleanup run request, each blueprint's parameters); responses are described here, and
 * `test/unit/services/openapi/apiSchemas.test.ts` holds each to the TypeScript type the API
 * answers with, while the end-to-end tests check every answer against the document.
 */
import { z } from 'zod';
import { cleanupRunRequestSchema } from '../cleanup/parseCleanupRunRequest.js';
import {
  extendRequestSchema,
  sandboxRequestSchema,
  updateSandboxRequestSchema,
} from '../provisioning/sandboxRequestSchema.js';

const isoInstant = () => z.string().describe('An instant, ISO 8601 in UTC.');
const count = () => z.number().int().min(0);

/** One field-level problem of a validation or policy failure. */
export const problemFieldErrorSchema = z.object({
  pointer: z.string().describe('A JSON pointer into the request, or `/` for the whole request.'),
  detail: z.string(),
  rule: z.string().describe('The rule or field that failed, for example `location-allowed`.'),
});

/** RFC 9457 problem details: every error of the API. */
export const problemSchema = z.object({
  type: z.string().describe('`urn:sandbox-automation:problem:<code in kebab case>`.'),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  instance: z.string().describe("The request's path."),
  code: z.string().describe('A stable machine-readable code, for example `SandboxNotFound`.'),
  errors: z.array(problemFieldErrorSchema).optional(),
  operationId: z
    .string()
    .optional()
    .describe(
      'The operation already under way, for `SandboxBeingDeleted`: follow it at `/api/operations/{operationId}`.',
    ),
  runId: z
    .string()
    .optional()
    .describe(
      'The cleanup run still active on the same subscriptions, for `CleanupRunActive`: follow it at `/api/cleanup/runs/{runId}`.',
    ),
});

export const healthSchema = z.object({ status: z.literal('ok') });

/** A sandbox, read from its group's tags in ARM. */
export const sandboxViewSchema = z.object({
  name: z.string(),
  resourceGroupId: z.string(),
  location: z.string(),
  state: z.string().describe("ARM's provisioning state of the group: `Succeeded`, `Deleting`, …"),
  owner: z.string().describe("The owner's object id."),
  ownerName: z.string().optional(),
  expiresAt: z.string().describe('The lease: when cleanup may delete the sandbox (ISO 8601).'),
  blueprint: z.string().optional(),
  operationId: z.string().optional(),
  sandboxState: z
    .string()
    .optional()
    .describe(
      '`failed`: what a failed provisioning left, kept for inspection until its short lease ends (`FAILED_SANDBOX_POLICY=keep`).',
    ),
  exemptUntil: z.string().optional(),
  deleteAfter: z.string().optional(),
  powerSchedule: z
    .string()
    .optional()
    .describe("When the sandbox's VMs stop and start (the `sandbox-power-schedule` tag)."),
  tags: z.record(z.string(), z.string()).describe('Every tag of the group.'),
});

export const sandboxListSchema = z.object({ value: z.array(sandboxViewSchema) });

const operationErrorSchema = z.object({ code: z.string(), message: z.string() });
const operationStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);

/** `202 Accepted` for a sandbox operation. */
export const acceptedOperationSchema = z.object({
  operationId: z.string(),
  sandbox: z.string(),
  status: operationStatusSchema,
  location: z.string().describe('`/api/operations/{id}`, also in the `Location` header.'),
});

/** A provisioning, teardown or adoption operation, as `GET /api/operations/{id}` shows it. */
export const operationViewSchema = z.object({
  id: z.string(),
  kind: z
    .enum(['provision', 'teardown', 'adoption'])
    .describe('`adoption`: the app took over a group a person made (recorded already done).'),
  status: operationStatusSchema,
  sandbox: z.string(),
  owner: z.string(),
  subscriptionId: z.string(),
  requestedBy: z.string(),
  requestedById: z.string().optional(),
  createdBy: z
    .string()
    .optional()
    .describe("The group's `created-by` tag: who asked, or who made the group it adopted."),
  expiresAt: isoInstant().optional(),
  steps: z.array(
    z.object({
      name: z.string().describe("The blueprint resource's key, or `resourceGroup`."),
      resourceId: z.string(),
      state: z.enum(['pending', 'running', 'succeeded', 'failed']),
      error: operationErrorSchema.optional(),
    }),
  ),
  error: operationErrorSchema.optional(),
  partialGroup: z
    .object({
      name: z.string(),
      action: z
        .enum(['kept', 'deleting', 'none', 'left'])
        .describe(
          '`kept` for inspection, tagged `sandbox-state: failed`; `deleting` by a teardown; `none`: no group of this operation is there; `left` as it was, the policy could not be applied (`detail`).',
        ),
      leaseExpiresAt: isoInstant().optional().describe('The shortened lease of a `kept` group.'),
      teardownOperationId: z.string().optional(),
      detail: z.string().optional(),
    })
    .optional()
    .describe(
      'What became of the group a failed provisioning left (`FAILED_SANDBOX_POLICY`): kept for inspection with a short lease, being deleted, none there, or left as it was.',
    ),
  attempts: count(),
  createdAt: isoInstant(),
  updatedAt: isoInstant(),
  blueprint: z.string().optional(),
  location: z.string().optional(),
});

/** A resource in a sandbox's group, as ARM lists it. */
export const resourceSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  location: z.string().optional(),
  provisioningState: z.string().optional(),
  createdTime: isoInstant().optional(),
});

export const resourceListSchema = z.object({ value: z.array(resourceSummarySchema) });

/** One entry of the audit trail. */
export const auditEntrySchema = z.object({
  at: isoInstant(),
  actor: z.string(),
  action: z.string().describe('`sandbox.requested`, `operation.succeeded`, `cleanup.deleted`, …'),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  operationId: z.string().optional(),
  runId: z.string().optional(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const historySchema = z.object({ value: z.array(auditEntrySchema) });

export const auditPageSchema = z.object({
  day: z.string(),
  total: count().describe('Entries of the day in all.'),
  value: z.array(auditEntrySchema),
  nextLink: z.string().optional().describe('The next page, while there is one.'),
});

export const blueprintListSchema = z.object({
  value: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      parameters: z
        .record(z.string(), z.unknown())
        .describe('The JSON Schema (2020-12) of the blueprint’s `parameters`.'),
    }),
  ),
});

export const policySchema = z.object({
  allowedLocations: z.array(z.string()),
  allowedVmSizes: z.array(z.string()),
  allowedVmImages: z.array(z.string()),
  defaultTtlHours: z.number(),
  maxTtlHours: z.number(),
  maxSandboxesPerOwner: z.number().int(),
});

const cleanupModeSchema = z.enum(['dry-run', 'apply']);
const cleanupRunStatusSchema = z.enum(['queued', 'blocked', 'applying', 'completed', 'failed']);
const cleanupActionSchema = z.enum(['delete', 'warn', 'mark', 'delete-marked', 'skip']);

export const blastRadiusSchema = z.object({
  deletes: count(),
  governed: count(),
  maxDeletes: count(),
  maxDeleteFraction: z.number(),
  fraction: z.number(),
  tripped: z.boolean(),
  reasons: z.array(z.string()),
});

/** `202 Accepted` for a cleanup run (started or approved). */
export const acceptedRunSchema = z.object({
  runId: z.string(),
  mode: cleanupModeSchema,
  status: cleanupRunStatusSchema,
  location: z.string(),
  approvedBy: z.string().optional(),
});

/** A cleanup run with its plan and outcomes. */
export const cleanupRunViewSchema = z.object({
  runId: z.string(),
  mode: cleanupModeSchema,
  status: cleanupRunStatusSchema,
  trigger: z.enum(['timer', 'http']),
  requestedBy: z.string(),
  approvedBy: z.string().optional(),
  subscriptions: z.array(z.string()),
  counts: z.record(z.string(), count()).optional().describe('Planned groups by action.'),
  outcomes: z.record(z.string(), count()).describe('Applied items by outcome.'),
  blastRadius: blastRadiusSchema.optional(),
  timings: z.object({
    requestedAt: isoInstant(),
    plannedAt: isoInstant().optional(),
    approvedAt: isoInstant().optional(),
    enqueuedAt: isoInstant().optional(),
    finishedAt: isoInstant().optional(),
    durationMs: z.number().optional(),
  }),
  items: z.array(
    z.object({
      subscriptionId: z.string(),
      name: z.string(),
      action: cleanupActionSchema,
      reason: z.string().describe('`lease-expired`, `locked`, `protected-name`, …'),
      detail: z.string(),
      createdBy: z.string().optional().describe("The group's `created-by` tag, when it has one."),
      outcome: z
        .object({
          status: z.string(),
          reason: z.string().optional(),
          detail: z.string().optional(),
          attempts: count().optional(),
          finishedAt: isoInstant().optional(),
        })
        .optional(),
    }),
  ),
  error: z.string().optional(),
});

export const cleanupRunListSchema = z.object({
  value: z.array(
    z.object({
      runId: z.string(),
      mode: cleanupModeSchema,
      status: cleanupRunStatusSchema,
      trigger: z.enum(['timer', 'http']),
      requestedBy: z.string(),
      requestedAt: isoInstant(),
      counts: z.record(z.string(), count()).optional().describe('Planned groups by action.'),
      approvedBy: z.string().optional(),
      blastRadius: blastRadiusSchema.optional(),
      enqueued: count().optional().describe('Items an apply run put on the queue.'),
      outcomes: z
        .record(z.string(), count())
        .optional()
        .describe('Applied items that ended, by outcome: so far while applying, then final.'),
      finishedAt: isoInstant().optional().describe('When the last applied item ended.'),
    }),
  ),
});

/** One VM in a power run's report. */
const powerRunVmSchema = z.object({
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  vm: z.string(),
  vmSize: z.string().optional(),
  action: z.enum(['stop', 'start', 'skip']),
  reason: z.string().describe('`off-hour`, `on-hour`, `caught-up`, or why it was skipped.'),
  detail: z.string(),
  schedule: z.string().optional(),
  scheduleSource: z.enum(['vm', 'group']).optional(),
  estimatedHoursSaved: z.number().optional(),
  outcome: z
    .object({
      status: z.enum(['in-progress', 'stopped', 'started', 'skipped', 'failed']),
      reason: z.string().optional(),
      detail: z.string().optional(),
      attempts: count(),
      finishedAt: isoInstant().optional(),
    })
    .optional(),
});

/** A power run: what it stopped, started and skipped, and why. */
export const powerRunViewSchema = z.object({
  runId: z.string(),
  status: z.enum(['queued', 'applying', 'completed', 'failed']),
  trigger: z.enum(['timer', 'http']),
  requestedBy: z.string(),
  subscriptions: z.array(z.string()),
  timings: z.object({
    requestedAt: isoInstant(),
    plannedAt: isoInstant().optional(),
    enqueuedAt: isoInstant().optional(),
    finishedAt: isoInstant().optional(),
  }),
  summary: z.object({
    stopped: count(),
    started: count(),
    skipped: count(),
    failed: count(),
    inProgress: count(),
    estimatedComputeHoursSaved: z.number(),
  }),
  stopped: z.array(powerRunVmSchema),
  started: z.array(powerRunVmSchema),
  skipped: z.array(powerRunVmSchema),
  failed: z.array(powerRunVmSchema),
  inProgress: z.array(powerRunVmSchema),
  error: z.string().optional(),
});

/** The caller as the API sees it. */
export const callerSchema = z.object({
  id: z.string().describe('The object id (`oid`).'),
  name: z.string(),
  kind: z.enum(['user', 'application']),
  roles: z.array(z.string()).describe('The app roles the token carries.'),
});

export const clientConfigSchema = z.object({
  tenantId: z.string(),
  authority: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  knownAuthorities: z.array(z.string()),
  portalUrl: z.string(),
  openApiUrl: z.string(),
});

/** Request bodies, described as the API parses them (what a caller may send). */
export const requestSchemas = {
  SandboxRequest: sandboxRequestSchema,
  ExtendRequest: extendRequestSchema,
  UpdateSandboxRequest: updateSandboxRequestSchema,
  CleanupRunRequest: cleanupRunRequestSchema,
} as const;

/** Response bodies and the problem shape. */
export const responseSchemas = {
  Problem: problemSchema,
  Health: healthSchema,
  Sandbox: sandboxViewSchema,
  SandboxList: sandboxListSchema,
  AcceptedOperation: acceptedOperationSchema,
  Operation: operationViewSchema,
  ResourceList: resourceListSchema,
  AuditEntry: auditEntrySchema,
  History: historySchema,
  AuditPage: auditPageSchema,
  BlueprintList: blueprintListSchema,
  Policy: policySchema,
  AcceptedRun: acceptedRunSchema,
  CleanupRun: cleanupRunViewSchema,
  CleanupRunList: cleanupRunListSchema,
  PowerRun: powerRunViewSchema,
  ClientConfig: clientConfigSchema,
  Caller: callerSchema,
} as const;

export type SchemaName = keyof typeof requestSchemas | keyof typeof responseSchemas;
