// Functions for scheduled cleanup register here: one file per function, each a thin adapter over
// services/cleanup.
import './cleanupTimer.js';
import './cleanupStartRun.js';
import './cleanupStartRunAsPrincipal.js';
import './cleanupApproveRun.js';
import './cleanupApproveRunAsPrincipal.js';
import './cleanupGetRun.js';
import './cleanupWorker.js';
import './cleanupPoison.js';
