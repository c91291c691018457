/**
 * Starting and approving a cleanup run take an admin, proven either way: the host's admin
 * (master) key on `cleanup/…`, or a signed-in principal in `ADMIN_PRINCIPALS` (under a function
 * key) on `cleanup/principal/…`. Each action is declared once and registered on both routes.
 */
import { type CleanupContext, cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import type { CleanupRun } from '../../services/cleanup/CleanupRun.js';
import {
  type HttpFunction,
  httpFunction,
  registerHttpFunction,
} from '../../shared/functions/httpFunction.js';

/** How an admin proves it: the admin key on `cleanup/…`, a principal on `cleanup/principal/…`. */
export type AdminProof = 'admin-key' | 'principal';

/** An admin action, as the function of one way of proving it. */
export type AdminAction = (proof: AdminProof) => HttpFunction<CleanupContext>;

/**
 * Declares a cleanup action that needs an admin, on `POST cleanup[/principal]/{path}`.
 *
 * @example
 * export const startCleanupRun = adminAction('cleanupStartRun', 'runs', { handle: … });
 * startCleanupRun('principal').route; // 'cleanup/principal/runs'
 */
export function adminAction(
  name: string,
  path: string,
  spec: Pick<HttpFunction<CleanupContext>, 'body' | 'handle'>,
): AdminAction {
  return (proof) =>
    httpFunction(proof === 'admin-key' ? name : `${name}AsPrincipal`, {
      ...spec,
      route: proof === 'admin-key' ? `cleanup/${path}` : `cleanup/principal/${path}`,
      methods: ['POST'],
      authLevel: proof === 'admin-key' ? 'admin' : 'function',
      adminOnly: 'Cleanup runs',
      ports: cleanupContext,
    });
}

/** Registers an admin action on both of its routes. */
export function registerAdminAction(action: AdminAction): void {
  for (const proof of ['admin-key', 'principal'] as const) registerHttpFunction(action(proof));
}

/** `202 Accepted` for a run: its URL in `Location` and the body, and when to poll. */
export function acceptedRun(run: CleanupRun) {
  const location = `/api/cleanup/runs/${run.runId}`;
  return {
    status: 202,
    headers: { Location: location, 'Retry-After': '2' },
    jsonBody: { runId: run.runId, mode: run.mode, status: run.status, location },
  };
}
