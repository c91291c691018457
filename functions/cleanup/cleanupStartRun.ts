import { app } from '@azure/functions';
import { startCleanupRunHandler } from './startCleanupRunHandler.js';

/** `POST /api/cleanup/runs` `{ "dryRun": true|false }` with the admin (master) key → 202 + run id. */
app.http('cleanupStartRun', {
  route: 'cleanup/runs',
  methods: ['POST'],
  authLevel: 'admin',
  handler: startCleanupRunHandler('admin-key'),
});
