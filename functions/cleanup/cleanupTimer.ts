import { cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import { requestCleanupRun } from '../../services/cleanup/requestCleanupRun.js';
import { registerTimerFunction, timerFunction } from '../../shared/functions/timerFunction.js';

/** Starts a cleanup run on `%CLEANUP_SCHEDULE%` in the configured `CLEANUP_MODE`. */
export const cleanupTimer = timerFunction('cleanupTimer', {
  schedule: '%CLEANUP_SCHEDULE%',
  ports: cleanupContext,
  async handle(_timer, { ports, settings }) {
    await requestCleanupRun(
      {
        mode: settings.mode,
        trigger: 'timer',
        requestedBy: 'schedule',
        subscriptions: settings.subscriptions,
      },
      ports,
    );
  },
});

registerTimerFunction(cleanupTimer);
