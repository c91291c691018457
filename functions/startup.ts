import { app } from '@azure/functions';
import { getConfig } from '../shared/config.js';

// App settings are parsed once, when the app starts: a missing or invalid setting stops the app
// with the setting's name, instead of failing whichever request first needs it.
app.hook.appStart(() => {
  getConfig();
});
