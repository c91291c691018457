import type { PartialGroup } from '../provisioning/Operation.js';
import type { AppEvent } from './AppEvent.js';

/** An event in words, for the chat formats: a title, a sentence, and facts to list. */
export interface EventDescription {
  title: string;
  text: string;
  facts: Array<[string, string]>;
}

/**
 * Says what an event means, for people reading Teams or Slack.
 *
 * @example
 * describeEvent(sandboxDeletedEvent).title; // 'Sandbox ana-1 deleted'
 */
export function describeEvent(event: AppEvent): EventDescription {
  const d = event.data;
  const s = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
  const facts: Array<[string, string]> = [];
  const fact = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') {
      facts.push([name, typeof value === 'string' ? value : JSON.stringify(value)]);
    }
  };
  let title: string;
  let text: string;
  switch (event.type) {
    case 'sandbox.provisioned':
      title = `Sandbox ${event.subject} is ready`;
      text = `The ${s('blueprint') ?? ''} sandbox ${event.subject} was provisioned.`;
      fact('Lease ends', s('expiresAt'));
      break;
    case 'sandbox.provisioning-failed':
      title = `Sandbox ${event.subject} could not be provisioned`;
      text = `${(d.error as { code?: string })?.code ?? 'Failed'}: ${(d.error as { message?: string })?.message ?? ''}`;
      fact('What it left', describePartialGroup(d.partialGroup as PartialGroup | undefined));
      break;
    case 'sandbox.expiring':
      title = `Sandbox ${event.subject} expires soon`;
      text = `Its lease ends at ${s('expiresAt')}; extend it to keep it.`;
      fact('Lease ends', s('expiresAt'));
      break;
    case 'sandbox.extended':
      title = `Sandbox ${event.subject} extended`;
      text = `Its lease now ends at ${s('to')}.`;
      fact('Was', s('from'));
      fact('By', s('by'));
      break;
    case 'sandbox.deleted':
      title = `Sandbox ${event.subject} deleted`;
      text =
        s('by') === 'cleanup'
          ? 'Cleanup deleted it: its lease had ended.'
          : s('by') === 'out-of-band'
            ? `${s('deletedBy') ?? 'Someone'} deleted it outside the app.`
            : 'It was deleted on request.';
      break;
    case 'sandbox.adopted':
      title = `Group ${event.subject} is now a sandbox`;
      text = `${s('ownerName') ?? s('createdBy') ?? 'Its creator'} created it without the app; it is now a sandbox they own, and cleanup deletes it when its lease ends unless they extend it.`;
      fact('Lease ends', s('expiresAt'));
      break;
    case 'cleanup.run.blocked':
      title = `Cleanup run ${event.subject} needs approval`;
      text = 'It would delete more than the blast-radius limits allow, so it deleted nothing.';
      fact('Blast radius', d.blastRadius);
      fact('Approve', s('approve'));
      break;
    case 'cleanup.run.completed':
      title = `Cleanup run ${event.subject} completed`;
      text = `A ${s('mode')} run finished.`;
      fact('Counts', d.counts);
      break;
    case 'power.run.completed':
      title = `Power run ${event.subject} completed`;
      text = `Stopped ${d.stopped}, started ${d.started}, skipped ${d.skipped}, failed ${d.failed}; about ${d.estimatedComputeHoursSaved} compute hours saved.`;
      break;
    case 'vm.deallocated':
      title = `VM ${s('vm')} of ${event.subject} stopped`;
      text = 'Its power schedule says off; it is deallocated and no longer billed for compute.';
      fact('Hours saved (estimate)', d.estimatedHoursSaved);
      break;
    case 'vm.started':
      title = `VM ${s('vm')} of ${event.subject} started`;
      text = 'Its power schedule says on.';
      break;
  }
  fact('Owner', s('owner'));
  fact('Event', event.type);
  fact('Time', event.time);
  return { title, text, facts };
}

/** What a failed provisioning left, in words. */
function describePartialGroup(partial: PartialGroup | undefined): string | undefined {
  switch (partial?.action) {
    case 'kept':
      return `group ${partial.name}, kept for inspection until ${partial.leaseExpiresAt}`;
    case 'deleting':
      return `group ${partial.name}, being deleted`;
    case 'none':
      return 'nothing';
    case 'left':
      return `group ${partial.name}, left as it was (${partial.detail ?? 'unknown'})`;
    default:
      return undefined;
  }
}
