/**
 * ARM's linked access checks: writing a resource that references another one also needs an action
 * on the referenced resource (`join` a subnet, `assign` an identity). A caller missing it gets 403
 * `LinkedAuthorizationFailed` before anything is written. The references and actions below are the
 * ones real messages name (for example `Microsoft.Network/virtualNetworks/subnets/join/action` on a
 * NIC's subnet, `Microsoft.ManagedIdentity/userAssignedIdentities/assign/action`).
 */

export interface LinkedAccess {
  action: string;
  scope: string;
}

type Body = Record<string, unknown>;

const asObject = (value: unknown): Body =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const idOf = (value: unknown): string[] => {
  const id = asObject(value).id;
  return typeof id === 'string' && id.length > 0 ? [id] : [];
};

const JOIN = {
  subnet: 'Microsoft.Network/virtualNetworks/subnets/join/action',
  publicIp: 'Microsoft.Network/publicIPAddresses/join/action',
  nsg: 'Microsoft.Network/networkSecurityGroups/join/action',
  routeTable: 'Microsoft.Network/routeTables/join/action',
  nic: 'Microsoft.Network/networkInterfaces/join/action',
};

function subnetLinks(properties: Body): LinkedAccess[] {
  return [
    ...idOf(properties.networkSecurityGroup).map((scope) => ({ action: JOIN.nsg, scope })),
    ...idOf(properties.routeTable).map((scope) => ({ action: JOIN.routeTable, scope })),
  ];
}

/** Per written type (lower case): the resources its properties reference. */
const REFERENCES: Record<string, (properties: Body) => LinkedAccess[]> = {
  'microsoft.compute/virtualmachines': (properties) =>
    asArray(asObject(properties.networkProfile).networkInterfaces)
      .flatMap(idOf)
      .map((scope) => ({ action: JOIN.nic, scope })),
  'microsoft.network/networkinterfaces': (properties) => [
    ...asArray(properties.ipConfigurations).flatMap((configuration) => {
      const ip = asObject(asObject(configuration).properties);
      return [
        ...idOf(ip.subnet).map((scope) => ({ action: JOIN.subnet, scope })),
        ...idOf(ip.publicIPAddress).map((scope) => ({ action: JOIN.publicIp, scope })),
      ];
    }),
    ...idOf(properties.networkSecurityGroup).map((scope) => ({ action: JOIN.nsg, scope })),
  ],
  'microsoft.network/virtualnetworks': (properties) =>
    asArray(properties.subnets).flatMap((subnet) =>
      subnetLinks(asObject(asObject(subnet).properties)),
    ),
  'microsoft.network/virtualnetworks/subnets': subnetLinks,
  'microsoft.authorization/roledefinitions': (properties) =>
    asArray(properties.assignableScopes)
      .filter((scope): scope is string => typeof scope === 'string')
      .map((scope) => ({ action: 'Microsoft.Authorization/roleDefinitions/write', scope })),
};

/**
 * The actions a write of `type` with this body needs on other resources.
 *
 * @example
 * linkedAccessOf('Microsoft.Compute/virtualMachines', { properties: { networkProfile: { networkInterfaces: [{ id: nic }] } } });
 * // [{ action: 'Microsoft.Network/networkInterfaces/join/action', scope: nic }]
 */
export function linkedAccessOf(type: string, body: unknown): LinkedAccess[] {
  const resource = asObject(body);
  const identities = Object.keys(asObject(asObject(resource.identity).userAssignedIdentities)).map(
    (scope) => ({
      action: 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
      scope,
    }),
  );
  const references = REFERENCES[type.toLowerCase()]?.(asObject(resource.properties)) ?? [];
  return [...references, ...identities];
}
