import { createHash } from 'node:crypto';

/** How a resource type constrains its names. */
export interface NameRule {
  prefix: string;
  maxLength: number;
  /** Lowercase letters and digits only (storage accounts), else hyphens are allowed too. */
  alphanumericOnly?: boolean;
}

/**
 * A name for a resource inside a sandbox: stable for the same sandbox (so a retried step finds
 * the resource it created), unique across sandboxes through a short hash (storage accounts, sites
 * and MySQL servers are globally named), and within the type's length and character rules.
 *
 * @example
 * derivedResourceName('Team_A.sandbox(1)', { prefix: 'st', maxLength: 24, alphanumericOnly: true });
 * // 'stteamasandbox1' + 8 hex characters, 23 characters in all
 */
export function derivedResourceName(sandbox: string, rule: NameRule): string {
  const hash = createHash('sha256').update(sandbox).digest('hex').slice(0, 8);
  const separator = rule.alphanumericOnly ? '' : '-';
  const cleaned = rule.alphanumericOnly
    ? sandbox.toLowerCase().replace(/[^a-z0-9]/g, '')
    : sandbox
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/-+/g, '-')
        .replace(/^-|-$/g, '');
  const room = rule.maxLength - rule.prefix.length - hash.length - 2 * separator.length;
  const middle = cleaned.slice(0, Math.max(0, room)).replace(/-$/, '');
  return [rule.prefix, middle, hash].filter((part) => part.length > 0).join(separator);
}
