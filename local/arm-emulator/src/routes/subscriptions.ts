import { type ArmResponse, json } from '../armRequest.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { TENANT_ID } from '../EmulatorOptions.js';

function subscriptionShape(id: string, index: number) {
  return {
    id: `/subscriptions/${id}`,
    subscriptionId: id,
    tenantId: TENANT_ID,
    displayName: `Emulated subscription ${index + 1}`,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
  };
}

export function listSubscriptions(core: EmulatorCore): ArmResponse {
  return json(200, { value: core.subscriptions.map(subscriptionShape) });
}

export function getSubscription(core: EmulatorCore, id: string): ArmResponse {
  return json(200, subscriptionShape(id, core.subscriptions.indexOf(id)));
}
