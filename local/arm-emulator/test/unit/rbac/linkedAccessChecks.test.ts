import { describe, expect, it } from 'vitest';
import { linkedAccessOf } from '../../../src/rbac/linkedAccessChecks.js';

const rg = '/subscriptions/s/resourceGroups/rg/providers';
const subnet = `${rg}/Microsoft.Network/virtualNetworks/v/subnets/default`;
const nic = `${rg}/Microsoft.Network/networkInterfaces/n`;
const identity = `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/id`;

// The linked actions real LinkedAuthorizationFailed messages name.
describe('linkedAccessOf', () => {
  it('asks to join the NICs a VM uses', () => {
    const body = { properties: { networkProfile: { networkInterfaces: [{ id: nic }] } } };
    expect(linkedAccessOf('Microsoft.Compute/virtualMachines', body)).toEqual([
      { action: 'Microsoft.Network/networkInterfaces/join/action', scope: nic },
    ]);
  });

  it('asks to join the subnet, public IP and NSG a NIC references', () => {
    const pip = `${rg}/Microsoft.Network/publicIPAddresses/p`;
    const nsg = `${rg}/Microsoft.Network/networkSecurityGroups/g`;
    const body = {
      properties: {
        ipConfigurations: [
          { properties: { subnet: { id: subnet }, publicIPAddress: { id: pip } } },
        ],
        networkSecurityGroup: { id: nsg },
      },
    };
    expect(linkedAccessOf('microsoft.network/networkinterfaces', body)).toEqual([
      { action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: subnet },
      { action: 'Microsoft.Network/publicIPAddresses/join/action', scope: pip },
      { action: 'Microsoft.Network/networkSecurityGroups/join/action', scope: nsg },
    ]);
  });

  it('asks to assign the user-assigned identities any resource declares', () => {
    const body = { identity: { type: 'UserAssigned', userAssignedIdentities: { [identity]: {} } } };
    expect(linkedAccessOf('Microsoft.Web/sites', body)).toEqual([
      { action: 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', scope: identity },
    ]);
  });

  it('asks nothing of a virtual network with bare subnets', () => {
    const body = {
      properties: { subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24' } }] },
    };
    expect(linkedAccessOf('Microsoft.Network/virtualNetworks', body)).toEqual([]);
  });
});
