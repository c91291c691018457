/**
 * The API's shapes as the page reads them. The OpenAPI document (`/api/openapi.json`) is the
 * contract; these are the parts the page uses.
 */

/** RFC 9457 problem details: every error of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: { pointer: string; detail: string; rule: string }[];
}

export interface Caller {
  id: string;
  name: string;
  kind: 'user' | 'application';
  roles: string[];
}

export interface Sandbox {
  name: string;
  resourceGroupId: string;
  location: string;
  state: string;
  owner: string;
  ownerName?: string;
  expiresAt: string;
  blueprint?: string;
  operationId?: string;
  exemptUntil?: string;
  deleteAfter?: string;
  powerSchedule?: string;
  tags: Record<string, string>;
}

export type OperationStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Accepted {
  operationId: string;
  sandbox: string;
  status: OperationStatus;
  location: string;
}

export interface Operation {
  id: string;
  kind: 'provision' | 'teardown' | 'adoption';
  status: OperationStatus;
  sandbox: string;
  requestedBy: string;
  expiresAt?: string;
  steps: {
    name: string;
    resourceId: string;
    state: 'pending' | 'running' | 'succeeded' | 'failed';
    error?: { code: string; message: string };
  }[];
  error?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
  blueprint?: string;
}

export interface Resource {
  id: string;
  name: string;
  type: string;
  location?: string;
  provisioningState?: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subscriptionId: string;
  resourceGroup: string;
  operationId?: string;
  runId?: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface AuditPage {
  day: string;
  total: number;
  value: AuditEntry[];
  nextLink?: string;
}

/** A JSON Schema, as far as the page reads one. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  additionalProperties?: boolean | JsonSchema;
}

export interface Blueprint {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface Policy {
  allowedLocations: string[];
  allowedVmSizes: string[];
  allowedVmImages: string[];
  defaultTtlHours: number;
  maxTtlHours: number;
  maxSandboxesPerOwner: number;
}

export type CleanupMode = 'dry-run' | 'apply';
export type CleanupRunStatus = 'queued' | 'blocked' | 'applying' | 'completed' | 'failed';
export type CleanupAction = 'delete' | 'warn' | 'mark' | 'delete-marked' | 'skip';

export interface BlastRadius {
  deletes: number;
  governed: number;
  maxDeletes: number;
  maxDeleteFraction: number;
  fraction: number;
  tripped: boolean;
  reasons: string[];
}

export interface CleanupRunSummary {
  runId: string;
  mode: CleanupMode;
  status: CleanupRunStatus;
  trigger: 'timer' | 'http';
  requestedBy: string;
  requestedAt: string;
  counts?: Record<string, number>;
  approvedBy?: string;
  blastRadius?: BlastRadius;
  enqueued?: number;
  outcomes?: Record<string, number>;
  finishedAt?: string;
}

export interface CleanupRun {
  runId: string;
  mode: CleanupMode;
  status: CleanupRunStatus;
  trigger: 'timer' | 'http';
  requestedBy: string;
  approvedBy?: string;
  counts?: Record<string, number>;
  outcomes: Record<string, number>;
  blastRadius?: BlastRadius;
  timings: {
    requestedAt: string;
    plannedAt?: string;
    approvedAt?: string;
    enqueuedAt?: string;
    finishedAt?: string;
    durationMs?: number;
  };
  items: {
    subscriptionId: string;
    name: string;
    action: CleanupAction;
    reason: string;
    detail: string;
    createdBy?: string;
    outcome?: { status: string; reason?: string; detail?: string };
  }[];
  error?: string;
}

export interface AcceptedRun {
  runId: string;
  mode: CleanupMode;
  status: CleanupRunStatus;
  location: string;
}

export interface ClientConfig {
  tenantId: string;
  authority: string;
  clientId: string;
  scopes: string[];
  knownAuthorities: string[];
  portalUrl: string;
  openApiUrl: string;
}
