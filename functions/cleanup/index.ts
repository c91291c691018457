// Functions for scheduled cleanup register here: one file per function (or per action, on both
// of its routes), each a thin adapter over services/cleanup.
import './cleanupTimer.js';
import './cleanupStartRun.js';
import './cleanupApproveRun.js';
import './cleanupGetRun.js';
import './cleanupListRuns.js';
import './cleanupWorker.js';
import './cleanupPoison.js';
