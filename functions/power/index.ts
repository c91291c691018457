// Functions for VM power schedules: each file registers one function, a thin adapter over
// services/power.
import './powerScheduleTimer.js';
import './powerWorker.js';
import './powerPoison.js';
import './powerGetRun.js';
