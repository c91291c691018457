import type { Violation } from '../../shared/apiErrors.js';
import { SANDBOX_TAG_NAMES, TAG_CLEANUP_DELETE_AFTER, TAG_LIMITS } from '../sandbox/sandboxTags.js';
import type { ResourceSpec } from './blueprints/ResourceSpec.js';
import type { ProvisioningPolicy } from './ProvisioningPolicy.js';

/** What policy looks at in a sandbox request, after its blueprint has been laid out. */
export interface PolicySubject {
  name: string;
  location: string;
  ttlHours: number;
  /** The caller's own tags (the contract tags are added later and counted here). */
  userTags: Readonly<Record<string, string>>;
  resources: readonly ResourceSpec[];
}

/** Tags the app writes itself; a request may not set them. */
const RESERVED_TAGS = new Set<string>([...SANDBOX_TAG_NAMES, TAG_CLEANUP_DELETE_AFTER]);
const CONTRACT_TAG_COUNT = SANDBOX_TAG_NAMES.length;

/**
 * ARM's rules for a resource group name (which is the sandbox's name): 1-90 characters of
 * letters, digits, `-`, `_`, `.`, `(` and `)`, not ending with a period.
 *
 * @example
 * checkResourceGroupName('team-a.'); // [{ rule: 'name-trailing-period', message: '…' }]
 */
export function checkResourceGroupName(name: string): Violation[] {
  const violations: Violation[] = [];
  if (name.length < 1 || name.length > 90) {
    violations.push({ rule: 'name-length', message: 'must be 1-90 characters long' });
  }
  if (!/^[A-Za-z0-9_.()-]*$/.test(name)) {
    violations.push({
      rule: 'name-characters',
      message: 'may hold only letters, digits, hyphens, underscores, periods and parentheses',
    });
  }
  if (name.endsWith('.')) {
    violations.push({ rule: 'name-trailing-period', message: 'must not end with a period' });
  }
  return violations;
}

/**
 * ARM's tag limits, counting the contract tags the app adds: at most 50 tags, names of at most
 * 512 characters without `<>%&\?/`, values of at most 256, and none of the reserved names.
 *
 * @example
 * checkTags({ 'sandbox-owner': 'me' }); // [{ rule: 'tag-reserved', message: '…' }]
 */
export function checkTags(userTags: Readonly<Record<string, string>>): Violation[] {
  const violations: Violation[] = [];
  const names = Object.keys(userTags);
  if (names.length + CONTRACT_TAG_COUNT > TAG_LIMITS.maxTags) {
    violations.push({
      rule: 'tag-count',
      message: `at most ${TAG_LIMITS.maxTags - CONTRACT_TAG_COUNT} tags of your own (${TAG_LIMITS.maxTags} in all, with the ${CONTRACT_TAG_COUNT} the app adds)`,
    });
  }
  for (const [name, value] of Object.entries(userTags)) {
    if (name.length === 0 || name.length > TAG_LIMITS.maxNameLength) {
      violations.push({
        rule: 'tag-name-length',
        message: `tag names must be 1-${TAG_LIMITS.maxNameLength} characters ('${name.slice(0, 40)}')`,
      });
    }
    if (/[<>%&\\?/]/.test(name)) {
      violations.push({
        rule: 'tag-name-characters',
        message: `tag names may not contain < > % & \\ ? / ('${name.slice(0, 40)}')`,
      });
    }
    if (value.length > TAG_LIMITS.maxValueLength) {
      violations.push({
        rule: 'tag-value-length',
        message: `tag values must be at most ${TAG_LIMITS.maxValueLength} characters (tag '${name.slice(0, 40)}')`,
      });
    }
    if (RESERVED_TAGS.has(name.toLowerCase())) {
      violations.push({ rule: 'tag-reserved', message: `tag '${name}' is set by the app` });
    }
  }
  return violations;
}

/**
 * Every policy rule that a sandbox request breaks; an empty list means it may go ahead. Each
 * violation names its rule (`location-allowed`, `ttl-max`, `vm-size-allowed`, …).
 *
 * @example
 * evaluateSandboxPolicy({ name: 'a', location: 'mars', ttlHours: 8, userTags: {}, resources: [] },
 *   policy).map((v) => v.rule); // ['location-allowed']
 */
export function evaluateSandboxPolicy(
  subject: PolicySubject,
  policy: ProvisioningPolicy,
): Violation[] {
  const violations = [...checkResourceGroupName(subject.name)];
  if (!includesIgnoringCase(policy.allowedLocations, subject.location)) {
    violations.push({
      rule: 'location-allowed',
      message: `'${subject.location}' is not one of ${policy.allowedLocations.join(', ')}`,
    });
  }
  violations.push(...checkTtl(subject.ttlHours, policy));
  violations.push(...checkTags(subject.userTags));
  for (const resource of subject.resources) {
    if (resource.kind !== 'virtualMachine') continue;
    const { vmSize, image } = describeVirtualMachine(resource);
    if (!includesIgnoringCase(policy.allowedVmSizes, vmSize)) {
      violations.push({
        rule: 'vm-size-allowed',
        message: `'${vmSize}' is not one of ${policy.allowedVmSizes.join(', ')}`,
      });
    }
    if (!includesIgnoringCase(policy.allowedVmImages, image)) {
      violations.push({
        rule: 'vm-image-allowed',
        message: `'${image}' is not one of ${policy.allowedVmImages.join(', ')}`,
      });
    }
  }
  return violations;
}

/**
 * A lease of `ttlHours` must be positive and within the policy's maximum; used on create and on
 * extend.
 *
 * @example
 * checkTtl(500, { maxTtlHours: 168 }); // [{ rule: 'ttl-max', message: '…' }]
 */
export function checkTtl(
  ttlHours: number,
  policy: Pick<ProvisioningPolicy, 'maxTtlHours'>,
): Violation[] {
  if (!Number.isFinite(ttlHours) || ttlHours <= 0) {
    return [{ rule: 'ttl-positive', message: 'the lease must be a positive number of hours' }];
  }
  if (ttlHours > policy.maxTtlHours) {
    return [
      {
        rule: 'ttl-max',
        message: `the lease may last at most ${policy.maxTtlHours} hours from now (asked for ${ttlHours})`,
      },
    ];
  }
  return [];
}

/**
 * The per-owner quota: an owner already holding `active` sandboxes may not start another.
 *
 * @example
 * checkOwnerQuota(3, { maxSandboxesPerOwner: 3 }); // [{ rule: 'owner-quota', message: '…' }]
 */
export function checkOwnerQuota(
  active: number,
  policy: Pick<ProvisioningPolicy, 'maxSandboxesPerOwner'>,
): Violation[] {
  if (active < policy.maxSandboxesPerOwner) return [];
  return [
    {
      rule: 'owner-quota',
      message: `an owner may hold at most ${policy.maxSandboxesPerOwner} sandboxes (has ${active})`,
    },
  ];
}

function describeVirtualMachine(resource: ResourceSpec): { vmSize: string; image: string } {
  const properties = (resource.body.properties ?? {}) as {
    hardwareProfile?: { vmSize?: string };
    storageProfile?: {
      imageReference?: { publisher?: string; offer?: string; sku?: string; version?: string };
    };
  };
  const reference = properties.storageProfile?.imageReference ?? {};
  return {
    vmSize: properties.hardwareProfile?.vmSize ?? '',
    image: [reference.publisher, reference.offer, reference.sku, reference.version].join(':'),
  };
}

function includesIgnoringCase(list: readonly string[], value: string): boolean {
  const wanted = value.toLowerCase();
  return list.some((item) => item.toLowerCase() === wanted);
}
