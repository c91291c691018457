import { z } from 'zod';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';
import { resourceIdOf } from './ResourceSpec.js';

const NETWORK_API_VERSION = '2024-05-01';
const COMPUTE_API_VERSION = '2024-07-01';

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
  parameters: z
    .object({
      vmSize: z
        .string()
        .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a VM size such as Standard_B2s')
        .default('Standard_B2s'),
      image: z
        .string()
        .regex(
          /^[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+$/,
          'must be an image URN publisher:offer:sku:version',
        )
        .default(DEFAULT_VM_IMAGE),
      adminUsername: z
        .string()
        .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Linux user name (lowercase, at most 32)')
        .refine((name) => !['root', 'admin', 'administrator'].includes(name), 'is reserved')
        .default('azureuser'),
      sshPublicKey: z
        .string()
        .max(8192)
        .regex(
          /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/,
          'must be an OpenSSH public key (ssh-rsa, ssh-ed25519 or ecdsa)',
        ),
      addressPrefix: z
        .string()
        .regex(/^10\.(\d{1,3})\.0\.0\/16$/, 'must be a 10.x.0.0/16 range')
        .default('10.0.0.0/16'),
    })
    .strict(),
  resources: ({ subscriptionId, sandbox, location, parameters }) => {
    const vnet = derivedResourceName(sandbox, { prefix: 'vnet', maxLength: 64 });
    const nic = derivedResourceName(sandbox, { prefix: 'nic', maxLength: 80 });
    const machine = derivedResourceName(sandbox, { prefix: 'vm', maxLength: 64 });
    const [publisher, offer, sku, version] = parameters.image.split(':');
    const vnetId = resourceIdOf(subscriptionId, sandbox, {
      type: 'Microsoft.Network/virtualNetworks',
      name: vnet,
    });
    const nicId = resourceIdOf(subscriptionId, sandbox, {
      type: 'Microsoft.Network/networkInterfaces',
      name: nic,
    });
    const subnetPrefix = parameters.addressPrefix.replace('.0.0/16', '.0.0/24');
    return [
      {
        key: 'vnet',
        kind: 'generic',
        type: 'Microsoft.Network/virtualNetworks',
        name: vnet,
        apiVersion: NETWORK_API_VERSION,
        body: {
          location,
          properties: {
            addressSpace: { addressPrefixes: [parameters.addressPrefix] },
            subnets: [{ name: 'default', properties: { addressPrefix: subnetPrefix } }],
          },
        },
      },
      {
        key: 'nic',
        kind: 'generic',
        type: 'Microsoft.Network/networkInterfaces',
        name: nic,
        apiVersion: NETWORK_API_VERSION,
        dependsOn: ['vnet'],
        body: {
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
      },
      {
        key: 'vm',
        kind: 'virtualMachine',
        type: 'Microsoft.Compute/virtualMachines',
        name: machine,
        apiVersion: COMPUTE_API_VERSION,
        dependsOn: ['nic'],
        body: {
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
      },
    ];
  },
});
