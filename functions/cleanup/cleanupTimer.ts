import { app } from '@azure/functions';
import { requestCleanupRun } from '../../services/cleanup/requestCleanupRun.js';
import { cleanupInvocation } from './cleanupInvocation.js';

/** Starts a cleanup run on `%CLEANUP_SCHEDULE%` in the configured `CLEANUP_MODE`. */
app.timer('cleanupTimer', {
  schedule: '%CLEANUP_SCHEDULE%',
  handler: async (_timer, context) => {
    const { config, ports } = await cleanupInvocation(context);
    await requestCleanupRun(
      {
        mode: config.cleanup.mode,
        trigger: 'timer',
        requestedBy: 'schedule',
        subscriptions: config.cleanup.subscriptions,
      },
      ports,
    );
  },
});
