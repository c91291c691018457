import { app } from '@azure/functions';
import { startCleanupRunHandler } from './startCleanupRunHandler.js';

/**
 * `POST /api/cleanup/principal/runs`: the same, for a signed-in admin (`x-ms-client-principal` in
 * `ADMIN_PRINCIPALS`). A function key is required too, so a forged header alone is never enough
 * where App Service Authentication is not in front of the app.
 */
app.http('cleanupStartRunAsPrincipal', {
  route: 'cleanup/principal/runs',
  methods: ['POST'],
  authLevel: 'function',
  handler: startCleanupRunHandler('principal'),
});
