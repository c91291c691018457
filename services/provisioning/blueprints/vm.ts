import { z } from 'zod';
import { armProvider } from './armProvider.js';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';
import { accountName, text } from './parameters.js';
import { resourceIdOf } from './ResourceSpec.js';

const network = armProvider('Microsoft.Network', '2024-05-01');
const compute = armProvider('Microsoft.Compute', '2024-07-01');

/** The image used when the request names none: Ubuntu 22.04 LTS, gen 2. */
export const DEFAULT_VM_IMAGE = 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest';

/**
 * A Linux VM on its own virtual network: vnet (with a `default` subnet) → NIC → VM. Password
 * login is disabled; the caller's SSH public key is the only way in. Size and image are checked
 * against policy before anything is created.
 */
export const vm = defineBlueprint({
  name: 'vm',
  description: 'A Linux VM with SSH key login, on a virtual network with one subnet and a NIC.',
  parameters: z.strictObject({
    vmSize: text(/^[A-Za-z0-9_]{1,64}$/, 'must be a VM size such as Standard_B2s').default(
      'Standard_B2s',
    ),
    image: text(
      /^[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+$/,
      'must be an image URN publisher:offer:sku:version',
    ).default(DEFAULT_VM_IMAGE),
    adminUsername: accountName(
      /^[a-z_][a-z0-9_-]{0,31}$/,
      'must be a Linux user name (lowercase, at most 32)',
      ['root', 'admin', 'administrator'],
    ).default('azureuser'),
    sshPublicKey: text(
      /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/,
      'must be an OpenSSH public key (ssh-rsa, ssh-ed25519 or ecdsa)',
    ).max(8192),
    addressPrefix: text(/^10\.(\d{1,3})\.0\.0\/16$/, 'must be a 10.x.0.0/16 range').default(
      '10.0.0.0/16',
    ),
  }),
  resources: ({ subscriptionId, sandbox, location, parameters }) => {
    const vnet = derivedResourceName(sandbox, { prefix: 'vnet', maxLength: 64 });
    const nic = derivedResourceName(sandbox, { prefix: 'nic', maxLength: 80 });
    const machine = derivedResourceName(sandbox, { prefix: 'vm', maxLength: 64 });
    const [publisher, offer, sku, version] = parameters.image.split(':');
    const vnetId = resourceIdOf(subscriptionId, sandbox, {
      type: network.type('virtualNetworks'),
      name: vnet,
    });
    const nicId = resourceIdOf(subscriptionId, sandbox, {
      type: network.type('networkInterfaces'),
      name: nic,
    });
    const subnetPrefix = parameters.addressPrefix.replace('.0.0/16', '.0.0/24');
    return [
      network.resource('vnet', 'virtualNetworks', vnet, {
        location,
        properties: {
          addressSpace: { addressPrefixes: [parameters.addressPrefix] },
          subnets: [{ name: 'default', properties: { addressPrefix: subnetPrefix } }],
        },
      }),
      network.resource(
        'nic',
        'networkInterfaces',
        nic,
        {
          location,
          properties: {
            ipConfigurations: [
              {
                name: 'ipconfig1',
                properties: {
                  privateIPAllocationMethod: 'Dynamic',
                  subnet: { id: `${vnetId}/subnets/default` },
                },
              },
            ],
          },
        },
        { dependsOn: ['vnet'] },
      ),
      compute.resource(
        'vm',
        'virtualMachines',
        machine,
        {
          location,
          properties: {
            hardwareProfile: { vmSize: parameters.vmSize },
            storageProfile: {
              imageReference: { publisher, offer, sku, version },
              osDisk: { createOption: 'FromImage', deleteOption: 'Delete' },
            },
            osProfile: {
              computerName: machine,
              adminUsername: parameters.adminUsername,
              linuxConfiguration: {
                disablePasswordAuthentication: true,
                ssh: {
                  publicKeys: [
                    {
                      path: `/home/${parameters.adminUsername}/.ssh/authorized_keys`,
                      keyData: parameters.sshPublicKey,
                    },
                  ],
                },
              },
            },
            // A single NIC is the primary one; this shape is both ARM's and the compute SDK's.
            networkProfile: { networkInterfaces: [{ id: nicId }] },
          },
        },
        { dependsOn: ['nic'], kind: 'virtualMachine' },
      ),
    ];
  },
});
