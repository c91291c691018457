// The app's entry (package.json `main` points at its bundle). Importing a folder registers its
// functions with the @azure/functions programming model; nothing here knows which host runs it.
import './startup.js';
import './provision/index.js';
import './cleanup/index.js';
import './azureEvents.js';
import './audit/index.js';
import './power/index.js';
import './notifications/index.js';
import './health.js';
import './web/index.js';
