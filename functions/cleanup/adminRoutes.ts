/**
 * Cleanup's actions answer on two routes each: `cleanup/…` and `cleanup/principal/…` (where
 * signed-in admins used to call before every route took a token). Both authenticate the caller
 * the same way and need the same app roles; each action is declared once and registered on both.
 */
import { type CleanupContext, cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import type { CleanupRun } from '../../services/cleanup/CleanupRun.js';
import type { AppRole } from '../../shared/auth/Caller.js';
import {
  type HttpFunction,
  httpFunction,
  registerHttpFunction,
} from '../../shared/functions/httpFunction.js';

/** Which of an action's two routes: `cleanup/…`, or its `cleanup/principal/…` twin. */
export type CleanupRoute = 'plain' | 'principal';

/** A cleanup action, as the function on one of its routes. */
export type CleanupAction = (route: CleanupRoute) => HttpFunction<CleanupContext>;

/**
 * Declares a cleanup action on `POST cleanup[/principal]/{path}`, for holders of `roles`.
 *
 * @example
 * export const startCleanupRun = cleanupAction('cleanupStartRun', 'runs', [APP_ROLES.admin], { handle: … });
 * startCleanupRun('principal').route; // 'api/cleanup/principal/runs'
 */
export function cleanupAction(
  name: string,
  path: string,
  roles: readonly AppRole[],
  spec: Pick<HttpFunction<CleanupContext>, 'body' | 'handle'>,
): CleanupAction {
  return (route) =>
    httpFunction(route === 'plain' ? name : `${name}AsPrincipal`, {
      ...spec,
      route: route === 'plain' ? `api/cleanup/${path}` : `api/cleanup/principal/${path}`,
      methods: ['POST'],
      roles,
      purpose: 'Cleanup runs',
      ports: cleanupContext,
    });
}

/** Registers a cleanup action on both of its routes. */
export function registerCleanupAction(action: CleanupAction): void {
  for (const route of ['plain', 'principal'] as const) registerHttpFunction(action(route));
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
