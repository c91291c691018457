import { app } from '@azure/functions';
import { approveCleanupRunHandler } from './approveCleanupRunHandler.js';

/** `POST /api/cleanup/principal/runs/{id}/approve`: the same, for a signed-in admin (plus a function key). */
app.http('cleanupApproveRunAsPrincipal', {
  route: 'cleanup/principal/runs/{id}/approve',
  methods: ['POST'],
  authLevel: 'function',
  handler: approveCleanupRunHandler('principal'),
});
