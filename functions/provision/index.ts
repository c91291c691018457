// Functions for sandbox provisioning (issue #4): each file registers one function.
import './createSandbox.js';
import './getOperationStatus.js';
import './listSandboxes.js';
import './getSandbox.js';
import './extendSandbox.js';
import './deleteSandbox.js';
import './provisionWorker.js';
import './provisionPoison.js';
