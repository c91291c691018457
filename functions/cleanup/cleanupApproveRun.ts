import { app } from '@azure/functions';
import { approveCleanupRunHandler } from './approveCleanupRunHandler.js';

/** `POST /api/cleanup/runs/{id}/approve` with the admin key: apply exactly that stored plan. */
app.http('cleanupApproveRun', {
  route: 'cleanup/runs/{id}/approve',
  methods: ['POST'],
  authLevel: 'admin',
  handler: approveCleanupRunHandler('admin-key'),
});
