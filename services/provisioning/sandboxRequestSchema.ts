import { z } from 'zod';

/** Owners become a tag value: at most 256 characters, printable. */
export const ownerSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/**
 * The body of `POST /api/sandboxes`. Unknown fields are rejected so a typo is never ignored.
 * The name's ARM rules, the location list and the TTL maximum are policy, checked afterwards.
 *
 * @example
 * sandboxRequestSchema.parse({ name: 'ana-1', location: 'westeurope', blueprint: 'empty' });
 */
export const sandboxRequestSchema = z
  .object({
    name: z.string().min(1).max(90),
    owner: ownerSchema.optional(),
    location: z
      .string()
      .min(1)
      .max(64)
      .transform((location) => location.replace(/\s+/g, '').toLowerCase()),
    ttlHours: z.number().positive().max(100_000).optional(),
    blueprint: z.string().min(1).max(64),
    parameters: z.record(z.string(), z.unknown()).optional(),
    tags: z.record(z.string(), z.string()).optional(),
    /** The `sandbox-power-schedule` tag, in Cloud Custodian's off-hours syntax. */
    powerSchedule: z
      .string()
      .max(256)
      .optional()
      .describe(
        "When the VMs stop and start, in Cloud Custodian's off-hours syntax: off=(M-F,19);on=(M-F,7);tz=Europe/Berlin",
      ),
    /** A webhook for the owner: every event of this sandbox goes there too. */
    webhook: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe('An https URL that receives every event of this sandbox, as signed CloudEvents'),
  })
  .strict();

export type SandboxRequest = z.output<typeof sandboxRequestSchema>;

/** The body of `POST /api/sandboxes/{name}/extend`: a new lease of `ttlHours` from now. */
export const extendRequestSchema = z
  .object({ ttlHours: z.number().positive().max(100_000), owner: ownerSchema.optional() })
  .strict();

export type ExtendRequest = z.output<typeof extendRequestSchema>;

/** The body of `PATCH /api/sandboxes/{name}`: a new power schedule (`off` opts out). */
export const updateSandboxRequestSchema = z
  .object({ powerSchedule: z.string().max(256), owner: ownerSchema.optional() })
  .strict();
