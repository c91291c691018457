/**
 * The built-in role definitions the emulator knows, with ARM's real ids and permissions, as
 * `MicrosoftDocs/azure-docs` lists them (`articles/role-based-access-control/built-in-roles/
 * privileged.md`, `general.md` and `management-and-governance.md`).
 */

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinition {
  /** The role definition's GUID, lower case: the last segment of its id. */
  name: string;
  roleName: string;
  description: string;
  roleType: 'BuiltInRole' | 'CustomRole';
  permissions: Permission[];
  assignableScopes: string[];
  createdOn?: string;
  updatedOn?: string;
  createdBy?: string | null;
  updatedBy?: string | null;
}

const only = (actions: string[], notActions: string[] = []): Permission[] => [
  { actions, notActions, dataActions: [], notDataActions: [] },
];

export const OWNER_ROLE_ID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
export const CONTRIBUTOR_ROLE_ID = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
export const READER_ROLE_ID = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const TAG_CONTRIBUTOR_ROLE_ID = '4a9ae827-6dc8-4573-8ac7-8239d42aa03f';
export const USER_ACCESS_ADMINISTRATOR_ROLE_ID = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';
export const STORAGE_QUEUE_DATA_MESSAGE_SENDER_ROLE_ID = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a';
export const STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    name: OWNER_ROLE_ID,
    roleName: 'Owner',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    roleType: 'BuiltInRole',
    permissions: only(['*']),
    assignableScopes: ['/'],
  },
  {
    name: CONTRIBUTOR_ROLE_ID,
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    roleType: 'BuiltInRole',
    permissions: only(
      ['*'],
      [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    ),
    assignableScopes: ['/'],
  },
  {
    name: READER_ROLE_ID,
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    roleType: 'BuiltInRole',
    permissions: only(['*/read']),
    assignableScopes: ['/'],
  },
  {
    name: TAG_CONTRIBUTOR_ROLE_ID,
    roleName: 'Tag Contributor',
    description:
      'Lets you manage tags on entities, without providing access to the entities themselves.',
    roleType: 'BuiltInRole',
    permissions: only([
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
      'Microsoft.Resources/subscriptions/resources/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Support/*',
      'Microsoft.Resources/tags/*',
    ]),
    assignableScopes: ['/'],
  },
  {
    name: USER_ACCESS_ADMINISTRATOR_ROLE_ID,
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    roleType: 'BuiltInRole',
    permissions: only(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']),
    assignableScopes: ['/'],
  },
  // The two data roles an Event Grid topic's identity needs to deliver to a queue and dead-letter
  // to a blob container (articles/role-based-access-control/built-in-roles/storage.md).
  {
    name: STORAGE_QUEUE_DATA_MESSAGE_SENDER_ROLE_ID,
    roleName: 'Storage Queue Data Message Sender',
    description: 'Allows for sending of Azure Storage queue messages.',
    roleType: 'BuiltInRole',
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action'],
        notDataActions: [],
      },
    ],
    assignableScopes: ['/'],
  },
  {
    name: STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID,
    roleName: 'Storage Blob Data Contributor',
    description:
      'Allows for read, write and delete access to Azure Storage blob containers and data.',
    roleType: 'BuiltInRole',
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
          'Microsoft.Storage/storageAccounts/blobServices/containers/read',
          'Microsoft.Storage/storageAccounts/blobServices/containers/write',
          'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
        ],
        notActions: [],
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
        ],
        notDataActions: [],
      },
    ],
    assignableScopes: ['/'],
  },
];

/**
 * A built-in role by id (GUID) or by name, case-insensitively.
 *
 * @example
 * builtInRole('Contributor')?.name; // 'b24988ac-6180-42a0-ab88-20f7382dd24c'
 */
export function builtInRole(idOrName: string): RoleDefinition | undefined {
  const key = idOrName.toLowerCase();
  return BUILT_IN_ROLES.find((role) => role.name === key || role.roleName.toLowerCase() === key);
}
