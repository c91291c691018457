import { createHash, randomUUID } from 'node:crypto';
import { ArmState, type OperationKind, type OperationRecord } from './ArmState.js';
import { armErrors } from './armErrors.js';
import { completeOperation } from './completeOperation.js';
import { EmulatorClock } from './EmulatorClock.js';
import {
  ARM_THROTTLING,
  DEFAULT_DURATIONS,
  DEFAULT_SUBSCRIPTION_ID,
  DEFAULT_USER_ASSIGNED_IDENTITIES,
  type EmulatorOptions,
  type OperationDurations,
  SYSTEM_IDENTITY,
  TENANT_ID,
  type ThrottlingLimits,
  type UserAssignedIdentity,
} from './EmulatorOptions.js';
import { EntraDirectory } from './entra/EntraDirectory.js';
import { type SigningKeyMaterial, SigningKeys } from './entra/SigningKeys.js';
import { EventGridPublisher } from './events/EventGridPublisher.js';
import type { ArmOperationContext, ResourceOutcome } from './events/resourceEvent.js';
import { StorageDataPlane } from './events/StorageDataPlane.js';
import { FaultInjector } from './FaultInjector.js';
import { RequestLog } from './RequestLog.js';
import { type PrincipalType, RbacState } from './rbac/RbacState.js';
import { resolveRbacSeeds } from './rbac/resolveRbacSeeds.js';
import { USER_ASSIGNED_IDENTITY_TYPE } from './routes/userAssignedIdentities.js';
import { SubscriptionThrottle } from './SubscriptionThrottle.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Everything the routes share: state, clock, faults, throttling, durations and the request log,
 * role-based access control, the tenant's directory and its token signing keys. No sockets here,
 * so the ARM behaviour can be exercised without a server.
 */
export class EmulatorCore {
  readonly clock = new EmulatorClock();
  readonly state: ArmState;
  readonly rbac: RbacState;
  readonly directory: EntraDirectory;
  readonly signingKeys: SigningKeys;
  /** Signs refresh tokens: derived from the tenant's first key, so stable while its key file is. */
  readonly refreshSecret: Buffer;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly subscriptions: string[];
  readonly identities: UserAssignedIdentity[];
  readonly tokenLifetimeSeconds: number;
  readonly timeScale: number;
  readonly durations: OperationDurations;
  throttle: SubscriptionThrottle | undefined;
  /** Event Grid: ARM's events, to the system topics and event subscriptions made through ARM. */
  readonly events: EventGridPublisher;
  /**
   * The write, delete or action being routed now: an operation it starts raises the request's
   * event when it ends, instead of the request itself.
   */
  requestEvent: ArmOperationContext | undefined;
  /** Set when the request being routed started an operation. */
  requestEventDeferred = false;
  /** The request being routed: a fault setting's `match` decides whether its operations fail. */
  requestTarget: { method: string; path: string } | undefined;
  /** Set once the HTTPS server listens: the base of every URL the emulator hands out. */
  endpoint = '';
  /** Set once the local Entra ID listens: `https://host:port`, the authority host. */
  entraAuthorityHost = '';

  constructor(
    private readonly options: EmulatorOptions,
    signingKeys: SigningKeyMaterial[],
  ) {
    this.subscriptions = (
      options.subscriptions?.length ? options.subscriptions : [DEFAULT_SUBSCRIPTION_ID]
    ).map((id) => id.toLowerCase());
    for (const id of this.subscriptions) {
      if (!GUID.test(id)) throw new Error(`Subscription id '${id}' is not a GUID.`);
    }
    this.identities = options.userAssignedIdentities ?? DEFAULT_USER_ASSIGNED_IDENTITIES;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 24 * 3600;
    this.timeScale = options.timeScale ?? 1;
    this.durations = { ...DEFAULT_DURATIONS, ...options.durations };
    this.state = new ArmState((operation, state) =>
      completeOperation(operation, state, this.clock.now()),
    );
    this.faults = new FaultInjector(options.faults);
    this.log = new RequestLog(options.requestLogSize ?? 10_000);
    this.configureThrottling(options.throttling);
    this.directory = EntraDirectory.create(options.entra, TENANT_ID);
    this.signingKeys = new SigningKeys(signingKeys, () => this.state.changed());
    this.refreshSecret = createHash('sha256')
      .update('refresh-tokens')
      .update(signingKeys[0]?.privateKey ?? '')
      .digest();
    this.rbac = new RbacState(() => this.state.changed());
    const seeds = resolveRbacSeeds(options, {
      subscriptions: this.subscriptions,
      defaultOwners: [SYSTEM_IDENTITY.principalId, ...this.identities.map((i) => i.principalId)],
      principalTypeOf: (id) => this.principalTypeOf(id),
      now: new Date(this.clock.now()).toISOString(),
    });
    this.rbac.seed(seeds.roles, seeds.assignments);
    this.events = new EventGridPublisher({
      state: this.state,
      rbac: this.rbac,
      dataPlane: new StorageDataPlane(options.storageConnections),
      now: () => this.clock.now(),
      timeScale: this.timeScale,
      ...(options.eventDelivery ? { settings: options.eventDelivery } : {}),
    });
    this.state.onOperationEnded = (operation) => {
      if (!operation.event) return;
      const outcome: ResourceOutcome =
        operation.status === 'Succeeded'
          ? 'Success'
          : operation.status === 'Canceled'
            ? 'Cancel'
            : 'Failure';
      this.events.publish(operation.event, outcome, operation.endedAt ?? this.clock.now());
    };
  }

  /**
   * The type of a principal the emulator knows: its managed identities (configured or created
   * through ARM) and the directory's users and service principals.
   */
  principalTypeOf(objectId: string): PrincipalType | undefined {
    const id = objectId.toLowerCase();
    if (
      id === SYSTEM_IDENTITY.principalId ||
      this.identities.some((identity) => identity.principalId.toLowerCase() === id)
    ) {
      return 'ServicePrincipal';
    }
    const directoryType = this.directory.principalTypeOf(id);
    if (directoryType) return directoryType;
    for (const resource of this.state.resources.values()) {
      if (
        resource.type.toLowerCase() === USER_ASSIGNED_IDENTITY_TYPE &&
        String(resource.properties.principalId).toLowerCase() === id
      ) {
        return 'ServicePrincipal';
      }
      // A resource's system-assigned identity (an Event Grid system topic's).
      const systemAssigned = (resource.identity as { principalId?: unknown } | undefined)
        ?.principalId;
      if (typeof systemAssigned === 'string' && systemAssigned.toLowerCase() === id) {
        return 'ServicePrincipal';
      }
    }
    return undefined;
  }

  get defaultSubscriptionId(): string {
    return this.subscriptions[0] as string;
  }

  configureThrottling(throttling: false | Partial<ThrottlingLimits> | undefined): void {
    this.throttle =
      throttling === false
        ? undefined
        : new SubscriptionThrottle({ ...ARM_THROTTLING, ...throttling });
  }

  /**
   * Back to the start: no records, no log, faults and throttling as the options set them, role
   * assignments and signing keys as the emulator started with.
   */
  reset(): void {
    this.state.clear();
    this.rbac.reset();
    this.signingKeys.reset();
    this.log.clear();
    this.clock.offset = 0;
    this.faults.configure(this.options.faults ?? {});
    this.configureThrottling(this.options.throttling);
    this.events.reset(this.options.eventDelivery ?? {});
  }

  /** Checks that a subscription id in a path is well formed and known. */
  requireSubscription(id: string): string {
    if (!GUID.test(id)) throw armErrors.invalidSubscriptionId(id);
    const lower = id.toLowerCase();
    if (!this.subscriptions.includes(lower)) throw armErrors.subscriptionNotFound(id);
    return lower;
  }

  /** Scaled duration of an operation kind, in milliseconds. */
  durationOf(kind: keyof OperationDurations): number {
    return Math.round(this.durations[kind] * this.timeScale);
  }

  startOperation(input: {
    kind: OperationKind;
    subscriptionId: string;
    targetKey: string;
    namespace: string;
    location: string;
    apiVersion: string;
    duration: keyof OperationDurations;
    action?: string;
    pollSegment?: string;
    statusSegment?: string;
    failure?: OperationRecord['failure'];
    id?: string;
  }): OperationRecord {
    const now = this.clock.now();
    const operation: OperationRecord = {
      id: input.id ?? randomUUID(),
      subscriptionId: input.subscriptionId,
      kind: input.kind,
      targetKey: input.targetKey,
      namespace: input.namespace,
      location: input.location,
      apiVersion: input.apiVersion,
      startedAt: now,
      completesAt: now + this.durationOf(input.duration),
      status: 'InProgress',
      willFail: this.faults.operationFails(this.requestTarget),
      ...(input.action ? { action: input.action } : {}),
      ...(input.pollSegment ? { pollSegment: input.pollSegment } : {}),
      ...(input.statusSegment ? { statusSegment: input.statusSegment } : {}),
      ...(input.failure ? { failure: input.failure } : {}),
      ...(this.requestEvent ? { event: this.requestEvent } : {}),
    };
    if (this.requestEvent) this.requestEventDeferred = true;
    this.state.startOperation(operation);
    return operation;
  }

  /**
   * Honest `Retry-After`: the operation's remaining time, to the nearest second, and never 0 (ARM
   * never asks a client to poll again at once; RFC 9110 makes 0 mean "now").
   */
  retryAfter(operation: OperationRecord): string {
    const remaining = Math.max(0, operation.completesAt - this.clock.now());
    return String(Math.max(1, Math.round(remaining / 1000)));
  }

  asyncOperationUrl(operation: OperationRecord): string {
    return `${this.endpoint}/subscriptions/${operation.subscriptionId}/providers/${operation.namespace}/locations/${operation.location}/${operation.statusSegment ?? 'operationStatuses'}/${operation.id}?api-version=${operation.apiVersion}`;
  }

  operationResultUrl(operation: OperationRecord): string {
    if (operation.kind === 'groupDelete') {
      return `${this.endpoint}/subscriptions/${operation.subscriptionId}/operationresults/${operation.id}?api-version=${operation.apiVersion}`;
    }
    if (operation.pollSegment) {
      return `${this.endpoint}/subscriptions/${operation.subscriptionId}/providers/${operation.namespace}/locations/${operation.location}/${operation.pollSegment}/${operation.id}?monitor=true&api-version=${operation.apiVersion}`;
    }
    return `${this.endpoint}/subscriptions/${operation.subscriptionId}/providers/${operation.namespace}/locations/${operation.location}/operationResults/${operation.id}?api-version=${operation.apiVersion}`;
  }
}
