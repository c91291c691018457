import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  CleanupRunView,
  CleanupRunViewItem,
} from '../../../../services/cleanup/getCleanupRun.js';
import type { CleanupRunSummary } from '../../../../services/cleanup/listCleanupRuns.js';
import type {
  acceptedOperationSchema,
  auditEntrySchema,
  blueprintListSchema,
  cleanupRunListSchema,
  cleanupRunViewSchema,
  clientConfigSchema,
  operationViewSchema,
  policySchema,
  powerRunViewSchema,
  problemSchema,
  resourceSummarySchema,
  sandboxViewSchema,
} from '../../../../services/openapi/apiSchemas.js';
import type { PowerRunView } from '../../../../services/power/getPowerRun.js';
import type { BlueprintDescription } from '../../../../services/provisioning/describeBlueprints.js';
import type { Operation, OperationStep } from '../../../../services/provisioning/Operation.js';
import type { ProvisioningPolicy } from '../../../../services/provisioning/ProvisioningPolicy.js';
import type { SandboxView } from '../../../../services/sandbox/SandboxView.js';
import type { ClientConfig } from '../../../../services/web/clientConfig.js';
import type { ResourceSummary } from '../../../../shared/arm/Resources.js';
import type { AuditEntry } from '../../../../shared/audit/recordAudit.js';
import type { ProblemBody } from '../../../../shared/http/problem.js';

/** The keys of `T` that the schema's output `S` does not describe: `never` when it covers them. */
type Undescribed<T, S> = Exclude<keyof T, keyof S>;

/** JSON has no read-only arrays: the API's read-only lists are plain arrays on the wire. */
type OnTheWire<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K];
};

// The document describes what the API answers: each type the API answers with must fit the schema
// that documents it (a field added to the type and not to the schema fails to compile here; the
// end-to-end tests check the answers themselves against the document).
describe('apiSchemas', () => {
  it('describe every answer as the API’s types make it', () => {
    expectTypeOf<SandboxView>().toExtend<z.output<typeof sandboxViewSchema>>();
    expectTypeOf<ProblemBody>().toExtend<z.output<typeof problemSchema>>();
    expectTypeOf<CleanupRunView>().toExtend<z.output<typeof cleanupRunViewSchema>>();
    expectTypeOf<{ value: CleanupRunSummary[] }>().toExtend<
      z.output<typeof cleanupRunListSchema>
    >();
    expectTypeOf<PowerRunView>().toExtend<z.output<typeof powerRunViewSchema>>();
    expectTypeOf<AuditEntry>().toExtend<z.output<typeof auditEntrySchema>>();
    expectTypeOf<ResourceSummary>().toExtend<z.output<typeof resourceSummarySchema>>();
    expectTypeOf<{ value: BlueprintDescription[] }>().toExtend<
      z.output<typeof blueprintListSchema>
    >();
    expectTypeOf<OnTheWire<ProvisioningPolicy>>().toExtend<z.output<typeof policySchema>>();
    expectTypeOf<ClientConfig>().toExtend<z.output<typeof clientConfigSchema>>();
    expectTypeOf<{
      operationId: string;
      sandbox: string;
      status: 'queued' | 'running' | 'succeeded' | 'failed';
      location: string;
    }>().toExtend<z.output<typeof acceptedOperationSchema>>();
  });

  // An answer with a field its schema lacks fails against the document (additional properties):
  // each type's every key must be described, at the top and in its lists.
  it('describe every field the API’s types have', () => {
    type OperationView = Omit<Operation, 'request' | 'lastTransientError'> & {
      blueprint?: string;
      location?: string;
    };
    type Output<S extends z.ZodType> = z.output<S>;
    expectTypeOf<
      Undescribed<OperationView, Output<typeof operationViewSchema>>
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<
        Omit<OperationStep, 'resumeToken'>,
        Output<typeof operationViewSchema>['steps'][number]
      >
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<SandboxView, Output<typeof sandboxViewSchema>>
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<CleanupRunView, Output<typeof cleanupRunViewSchema>>
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<CleanupRunViewItem, Output<typeof cleanupRunViewSchema>['items'][number]>
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<CleanupRunSummary, Output<typeof cleanupRunListSchema>['value'][number]>
    >().toEqualTypeOf<never>();
    expectTypeOf<Undescribed<AuditEntry, Output<typeof auditEntrySchema>>>().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<ResourceSummary, Output<typeof resourceSummarySchema>>
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Undescribed<PowerRunView, Output<typeof powerRunViewSchema>>
    >().toEqualTypeOf<never>();
  });
});
