import { app } from '@azure/functions';
import { blueprints } from '../services/provisioning/blueprints/index.js';
import { checkPowerDefaults } from '../services/provisioning/checkPowerDefaults.js';
import { getConfig } from '../shared/config.js';

// App settings are parsed once, when the app starts: a missing or invalid setting stops the app
// with the setting's name, instead of failing whichever request first needs it.
app.hook.appStart(() => {
  checkPowerDefaults(getConfig().power.blueprintDefaults, blueprints);
});
