import { z } from 'zod';
import type { EmulatorCore } from './EmulatorCore.js';
import { describeLocalEntra } from './entra/describeLocalEntra.js';
import { eventDeliverySettingsSchema } from './events/EventDelivery.js';
import { faultSettingsSchema } from './FaultInjector.js';
import { SeedError, seedState } from './seedState.js';

export interface ControlResponse {
  status: number;
  body?: unknown;
}

const bucket = z.object({
  capacity: z.number().positive(),
  refillPerSecond: z.number().positive(),
});
const throttlingSchema = z.union([
  z.literal(false),
  z.object({ reads: bucket, writes: bucket, deletes: bucket }).partial().strict(),
]);
const clockSchema = z.object({ advanceSeconds: z.number() }).strict();

const problem = (status: number, message: string): ControlResponse => ({
  status,
  body: { error: { code: 'InvalidControlRequest', message } },
});

/**
 * The control API under `/_emulator/`: reset, faults, request log, stats, seed, clock,
 * throttling, the local Entra ID's directory and its signing keys (rotation), and Event Grid's
 * published events and delivery settings. It lives on the ARM port but outside every ARM path, and
 * needs no token.
 */
export function handleControlRequest(
  core: EmulatorCore,
  method: string,
  url: URL,
  body: unknown,
): ControlResponse {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'POST /_emulator/reset':
        core.reset();
        return { status: 204 };
      case 'GET /_emulator/faults':
        return { status: 200, body: core.faults.settings };
      case 'PUT /_emulator/faults':
        core.faults.configure(faultSettingsSchema.parse(body ?? {}));
        return { status: 200, body: core.faults.settings };
      case 'GET /_emulator/requests': {
        const limit = Number(url.searchParams.get('limit') ?? 0) || undefined;
        const method = url.searchParams.get('method') ?? undefined;
        const path = url.searchParams.get('path');
        return {
          status: 200,
          body: {
            value: core.log.entries({
              ...(limit ? { limit } : {}),
              ...(method ? { method } : {}),
              ...(path ? { path: new RegExp(path, 'i') } : {}),
            }),
          },
        };
      }
      case 'DELETE /_emulator/requests':
        core.log.clear();
        return { status: 204 };
      case 'GET /_emulator/stats':
        return {
          status: 200,
          body: {
            ...core.log.stats(),
            resourceGroups: core.state.groups.size,
            resources: core.state.resources.size,
            locks: core.state.locks.size,
            pendingOperations: core.state.pendingOperations,
            clockOffsetMs: core.clock.offset,
            eventDeliveriesPending: core.events.delivery.pending,
          },
        };
      case 'POST /_emulator/seed':
        return { status: 200, body: seedState(core, body) };
      case 'GET /_emulator/clock':
        return {
          status: 200,
          body: { now: new Date(core.clock.now()).toISOString(), offsetMs: core.clock.offset },
        };
      case 'POST /_emulator/clock': {
        const { advanceSeconds } = clockSchema.parse(body);
        core.clock.advance(advanceSeconds * 1000);
        core.state.settle(core.clock.now());
        return {
          status: 200,
          body: { now: new Date(core.clock.now()).toISOString(), offsetMs: core.clock.offset },
        };
      }
      case 'PUT /_emulator/throttling':
        core.configureThrottling(throttlingSchema.parse(body));
        return { status: 200, body: core.throttle?.limits ?? false };
      case 'GET /_emulator/throttling':
        return { status: 200, body: core.throttle?.limits ?? false };
      case 'GET /_emulator/event-delivery':
        return { status: 200, body: core.events.delivery.settings };
      case 'PUT /_emulator/event-delivery':
        core.events.delivery.configure(eventDeliverySettingsSchema.parse(body ?? {}));
        return { status: 200, body: core.events.delivery.settings };
      case 'GET /_emulator/events': {
        const limit = Number(url.searchParams.get('limit') ?? 0) || undefined;
        return {
          status: 200,
          body: {
            value: core.events.events(limit).map(({ event, deliveries }) => ({
              event,
              deliveries: deliveries.map(
                ({ job, status, attempts, copies, heldBack, ...last }) => ({
                  eventSubscription: job.eventSubscriptionId,
                  destination: job.destination,
                  status,
                  attempts,
                  copies,
                  heldBack,
                  ...(last.lastOutcome ? { lastOutcome: last.lastOutcome } : {}),
                  ...(last.lastError ? { lastError: last.lastError } : {}),
                }),
              ),
            })),
          },
        };
      }
      case 'GET /_emulator/entra':
        return { status: 200, body: describeLocalEntra(core) };
      case 'GET /_emulator/entra/keys':
        return {
          status: 200,
          body: { kids: core.signingKeys.kids(), active: core.signingKeys.activeKid },
        };
      case 'POST /_emulator/entra/keys/rotate':
        core.signingKeys.rotate();
        return {
          status: 200,
          body: { kids: core.signingKeys.kids(), active: core.signingKeys.activeKid },
        };
      default:
        return problem(404, `No control route '${route}'.`);
    }
  } catch (error) {
    if (error instanceof z.ZodError) return problem(400, z.prettifyError(error));
    if (error instanceof SeedError || error instanceof SyntaxError)
      return problem(400, error.message);
    if (error instanceof Error && error.name === 'ArmError') return problem(400, error.message);
    throw error;
  }
}
