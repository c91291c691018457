// Functions for sandbox provisioning: each file registers one function.
import './createSandbox.js';
import './getOperationStatus.js';
import './listSandboxes.js';
import './getSandbox.js';
import './extendSandbox.js';
import './deleteSandbox.js';
import './updateSandbox.js';
import './provisionWorker.js';
import './provisionPoison.js';
