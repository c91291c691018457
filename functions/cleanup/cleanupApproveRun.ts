import { approveCleanupRun as approveRun } from '../../services/cleanup/approveCleanupRun.js';
import { CLEANUP_RUN_ID } from '../../services/cleanup/cleanupRunId.js';
import { CleanupRunNotFoundError } from '../../services/cleanup/errors.js';
import { APP_ROLES } from '../../shared/auth/Caller.js';
import { acceptedRun, cleanupAction, registerCleanupAction } from './adminRoutes.js';

/**
 * `POST /api/cleanup[/principal]/runs/{id}/approve`: apply exactly that stored plan. Admins and
 * approvers may, never the person who started the run; of approvals at once, one is accepted and
 * the others answer 409.
 */
export const approveCleanupRun = cleanupAction(
  'cleanupApproveRun',
  'runs/{id}/approve',
  [APP_ROLES.admin, APP_ROLES.approver],
  {
    async handle({ params, caller, ports: { ports } }) {
      const runId = params.id ?? '';
      if (!CLEANUP_RUN_ID.test(runId)) throw new CleanupRunNotFoundError(runId);
      const run = await approveRun(runId, caller, ports);
      const accepted = acceptedRun(run);
      return {
        ...accepted,
        jsonBody: { ...accepted.jsonBody, approvedBy: run.approvedBy },
      };
    },
  },
);

registerCleanupAction(approveCleanupRun);
