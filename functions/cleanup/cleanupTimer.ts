import { cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import { CleanupRunActiveError } from '../../services/cleanup/errors.js';
import { requestCleanupRun } from '../../services/cleanup/requestCleanupRun.js';
import { registerTimerFunction, timerFunction } from '../../shared/functions/timerFunction.js';

/**
 * Starts a cleanup run on `%CLEANUP_SCHEDULE%` in the configured `CLEANUP_MODE`; while another
 * run is active on the subscriptions, this tick starts none.
 */
export const cleanupTimer = timerFunction('cleanupTimer', {
  schedule: '%CLEANUP_SCHEDULE%',
  ports: cleanupContext,
  async handle(_timer, { ports, settings }) {
    try {
      await requestCleanupRun(
        {
          mode: settings.mode,
          trigger: 'timer',
          requestedBy: 'schedule',
          subscriptions: settings.subscriptions,
        },
        ports,
      );
    } catch (error) {
      if (!(error instanceof CleanupRunActiveError)) throw error;
      ports.logger.info('scheduled cleanup run not started: another run is still active', {
        runId: error.activeRunId,
      });
    }
  },
});

registerTimerFunction(cleanupTimer);
