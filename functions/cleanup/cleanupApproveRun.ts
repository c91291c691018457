import { approveCleanupRun as approveRun } from '../../services/cleanup/approveCleanupRun.js';
import { CLEANUP_RUN_ID } from '../../services/cleanup/cleanupRunId.js';
import { CleanupRunNotFoundError } from '../../services/cleanup/errors.js';
import { acceptedRun, adminAction, registerAdminAction } from './adminRoutes.js';

/** `POST /api/cleanup[/principal]/runs/{id}/approve`: apply exactly that stored plan. */
export const approveCleanupRun = adminAction('cleanupApproveRun', 'runs/{id}/approve', {
  async handle({ params, caller, ports: { ports } }) {
    const runId = params.id ?? '';
    if (!CLEANUP_RUN_ID.test(runId)) throw new CleanupRunNotFoundError(runId);
    const run = await approveRun(runId, caller!.name, ports);
    const accepted = acceptedRun(run);
    return {
      ...accepted,
      jsonBody: { ...accepted.jsonBody, approvedBy: run.approvedBy, enqueued: run.enqueued },
    };
  },
});

registerAdminAction(approveCleanupRun);
