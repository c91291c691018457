import { powerPorts } from '../../services/power/PowerPorts.js';
import { requestPowerRun } from '../../services/power/requestPowerRun.js';
import { registerTimerFunction, timerFunction } from '../../shared/functions/timerFunction.js';

/** Starts a power run on `%POWER_SCHEDULE%` (every 15 minutes by default). */
export const powerScheduleTimer = timerFunction('powerScheduleTimer', {
  schedule: '%POWER_SCHEDULE%',
  ports: powerPorts,
  async handle(_timer, ports) {
    await requestPowerRun({ trigger: 'timer', requestedBy: 'schedule' }, ports);
  },
});

registerTimerFunction(powerScheduleTimer);
