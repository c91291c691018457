// Functions for sandbox provisioning: each file registers one function.
import './createSandbox.js';
import './getOperationStatus.js';
import './listSandboxes.js';
import './getSandbox.js';
import './extendSandbox.js';
import './deleteSandbox.js';
import './updateSandbox.js';
import './listSandboxResources.js';
import './getSandboxHistory.js';
import './listBlueprints.js';
import './getPolicy.js';
import './getCaller.js';
import './provisionWorker.js';
import './provisionPoison.js';
