import { randomBytes } from 'node:crypto';
import { deterministicGuid, GUID_PATTERN } from '../deterministicGuid.js';
import { redirectUriProblem } from './redirectUris.js';

export type MemberType = 'User' | 'Application';

export interface AppRoleInput {
  /** The value tokens carry in `roles`, for example `Sandbox.Admin`. */
  value: string;
  displayName?: string;
  description?: string;
  id?: string;
  allowedMemberTypes?: MemberType[];
}

/** The app registration of the API that tokens are issued for. */
export interface ApiRegistrationInput {
  displayName?: string;
  clientId?: string;
  /** The application ID URI; default `api://{clientId}`. */
  identifierUri?: string;
  appRoles?: Array<string | AppRoleInput>;
  /** Delegated permissions the API exposes (`scp` of user tokens); default `access_as_user`. */
  scopes?: string[];
  /** `accessTokenAcceptedVersion` of the manifest: 2 (default) or 1. */
  accessTokenVersion?: 1 | 2;
  /**
   * The registration's single-page application redirect URIs (`spa.redirectUris` in Microsoft
   * Graph): where the authorization endpoint may send a code that a browser redeems with PKCE.
   */
  spaRedirectUris?: string[];
}

export interface EntraUserInput {
  /** The user principal name, for example `alice@sandbox.test`. */
  username: string;
  /** Random at every start when omitted. */
  password?: string;
  /** App roles of the API assigned to the user. */
  roles?: string[];
  displayName?: string;
  objectId?: string;
}

export interface ServicePrincipalInput {
  displayName: string;
  clientId?: string;
  /** Random at every start when omitted. */
  clientSecret?: string;
  objectId?: string;
  /** App roles of the API assigned to the service principal. */
  roles?: string[];
}

/** The local tenant's data; each list given replaces the default one. */
export interface EntraDirectoryInput {
  api?: ApiRegistrationInput;
  users?: EntraUserInput[];
  servicePrincipals?: ServicePrincipalInput[];
  /** Lifetime of the access tokens the token endpoint issues; default 3600 s. */
  tokenLifetimeSeconds?: number;
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: MemberType[];
}

export interface ApiRegistration {
  displayName: string;
  clientId: string;
  identifierUri: string;
  appRoles: AppRole[];
  scopes: string[];
  accessTokenVersion: 1 | 2;
  spaRedirectUris: string[];
}

export interface EntraUser {
  username: string;
  password: string;
  roles: string[];
  displayName: string;
  objectId: string;
}

export interface ServicePrincipal {
  displayName: string;
  clientId: string;
  clientSecret: string;
  objectId: string;
  roles: string[];
}

export class EntraDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntraDirectoryError';
  }
}

export const DEFAULT_API_CLIENT_ID = '00000000-0000-4000-8000-0000000a0001';

/** The sandbox API's registration and local people: two plain users, an approver, an admin. */
export const DEFAULT_DIRECTORY: Required<Omit<EntraDirectoryInput, 'tokenLifetimeSeconds'>> = {
  api: {
    displayName: 'sandbox-automation',
    clientId: DEFAULT_API_CLIENT_ID,
    appRoles: [
      {
        value: 'Sandbox.User',
        displayName: 'Sandbox user',
        description: 'Requests, extends and deletes their own sandboxes.',
      },
      {
        value: 'Sandbox.Admin',
        displayName: 'Sandbox administrator',
        description: 'Acts on every sandbox and on cleanup runs.',
      },
      {
        value: 'Sandbox.Approver',
        displayName: 'Sandbox approver',
        description: 'Approves blocked or dry-run cleanup plans.',
      },
    ],
    scopes: ['access_as_user'],
    accessTokenVersion: 2,
    // The app's page, served at the root of the local Functions host on any port (loopback
    // redirect URIs match whatever their port).
    spaRedirectUris: ['http://127.0.0.1/', 'http://localhost/'],
  },
  users: [
    { username: 'alice@sandbox.test', displayName: 'Alice', roles: ['Sandbox.User'] },
    { username: 'bob@sandbox.test', displayName: 'Bob', roles: ['Sandbox.User'] },
    {
      username: 'carol@sandbox.test',
      displayName: 'Carol',
      roles: ['Sandbox.User', 'Sandbox.Approver'],
    },
    { username: 'dave@sandbox.test', displayName: 'Dave', roles: ['Sandbox.Admin'] },
    { username: 'erin@sandbox.test', displayName: 'Erin', roles: [] },
  ],
  servicePrincipals: [
    { displayName: 'sandbox-pipeline', roles: ['Sandbox.User'] },
    { displayName: 'sandbox-operations', roles: ['Sandbox.Admin'] },
  ],
};

const secret = () => randomBytes(24).toString('base64url');

/**
 * The local tenant: the API's app registration (with its app roles and exposed scopes), test users
 * with passwords, and service principals with client secrets. Object and client ids are derived
 * from names, so they are the same at every start; passwords and secrets not given are random.
 *
 * @example
 * const directory = EntraDirectory.create({ users: [{ username: 'ops@sandbox.test', roles: ['Sandbox.Admin'] }] });
 */
export class EntraDirectory {
  private constructor(
    readonly tenantId: string,
    readonly api: ApiRegistration,
    readonly users: EntraUser[],
    readonly servicePrincipals: ServicePrincipal[],
    readonly tokenLifetimeSeconds: number,
  ) {}

  static create(input: EntraDirectoryInput = {}, tenantId: string): EntraDirectory {
    const api = resolveApi({ ...DEFAULT_DIRECTORY.api, ...input.api });
    const roleValues = (type: MemberType) =>
      new Set(api.appRoles.filter((r) => r.allowedMemberTypes.includes(type)).map((r) => r.value));
    const checkRoles = (who: string, roles: string[], type: MemberType) => {
      const allowed = roleValues(type);
      for (const role of roles) {
        if (!allowed.has(role)) {
          throw new EntraDirectoryError(
            `${who} has role '${role}', which the API registration does not define for ${type === 'User' ? 'users' : 'applications'} (${[...allowed].join(', ') || 'none'}).`,
          );
        }
      }
    };
    const ids = new Set([api.clientId]);
    const unique = (id: string, what: string) => {
      if (!GUID_PATTERN.test(id)) throw new EntraDirectoryError(`${what} '${id}' is not a GUID.`);
      if (ids.has(id.toLowerCase()))
        throw new EntraDirectoryError(`${what} '${id}' is used twice.`);
      ids.add(id.toLowerCase());
      return id.toLowerCase();
    };
    const names = new Set<string>();
    const users = (input.users ?? DEFAULT_DIRECTORY.users).map((user): EntraUser => {
      if (!/^[^@\s]+@[^@\s]+$/.test(user.username ?? '')) {
        throw new EntraDirectoryError(
          `User name '${user.username}' is not a user principal name (name@domain).`,
        );
      }
      if (names.has(user.username.toLowerCase())) {
        throw new EntraDirectoryError(`User '${user.username}' is given twice.`);
      }
      names.add(user.username.toLowerCase());
      const roles = user.roles ?? [];
      checkRoles(`User '${user.username}'`, roles, 'User');
      if (user.password === '') {
        throw new EntraDirectoryError(`User '${user.username}' has an empty password.`);
      }
      return {
        username: user.username,
        password: user.password ?? secret(),
        roles,
        displayName: user.displayName ?? user.username.split('@')[0]!,
        objectId: unique(
          user.objectId ?? deterministicGuid('user', tenantId, user.username.toLowerCase()),
          `Object id of user '${user.username}'`,
        ),
      };
    });
    const servicePrincipals = (input.servicePrincipals ?? DEFAULT_DIRECTORY.servicePrincipals).map(
      (principal): ServicePrincipal => {
        if (!principal.displayName) {
          throw new EntraDirectoryError('A service principal needs a displayName.');
        }
        const roles = principal.roles ?? [];
        checkRoles(`Service principal '${principal.displayName}'`, roles, 'Application');
        if (principal.clientSecret === '') {
          throw new EntraDirectoryError(
            `Service principal '${principal.displayName}' has an empty client secret.`,
          );
        }
        return {
          displayName: principal.displayName,
          clientId: unique(
            principal.clientId ?? deterministicGuid('application', tenantId, principal.displayName),
            `Client id of service principal '${principal.displayName}'`,
          ),
          clientSecret: principal.clientSecret ?? secret(),
          objectId: unique(
            principal.objectId ??
              deterministicGuid('servicePrincipal', tenantId, principal.displayName),
            `Object id of service principal '${principal.displayName}'`,
          ),
          roles,
        };
      },
    );
    const lifetime = input.tokenLifetimeSeconds ?? 3600;
    if (!Number.isInteger(lifetime) || lifetime <= 0) {
      throw new EntraDirectoryError(
        `tokenLifetimeSeconds must be a positive whole number, not ${lifetime}.`,
      );
    }
    return new EntraDirectory(tenantId, api, users, servicePrincipals, lifetime);
  }

  /** A user by sign-in name, case-insensitively. */
  user(username: string): EntraUser | undefined {
    const key = username.toLowerCase();
    return this.users.find((user) => user.username.toLowerCase() === key);
  }

  servicePrincipal(clientId: string): ServicePrincipal | undefined {
    const key = clientId.toLowerCase();
    return this.servicePrincipals.find((principal) => principal.clientId === key);
  }

  /** Whether an object id is one of the directory's users or service principals. */
  principalTypeOf(objectId: string): 'User' | 'ServicePrincipal' | undefined {
    const key = objectId.toLowerCase();
    if (this.users.some((user) => user.objectId === key)) return 'User';
    if (this.servicePrincipals.some((principal) => principal.objectId === key)) {
      return 'ServicePrincipal';
    }
    return undefined;
  }
}

function resolveApi(input: ApiRegistrationInput): ApiRegistration {
  const clientId = (input.clientId ?? DEFAULT_API_CLIENT_ID).toLowerCase();
  if (!GUID_PATTERN.test(clientId)) {
    throw new EntraDirectoryError(`API client id '${input.clientId}' is not a GUID.`);
  }
  const appRoles = (input.appRoles ?? []).map((role): AppRole => {
    const given = typeof role === 'string' ? { value: role } : role;
    if (!/^[^\s]+$/.test(given.value ?? '')) {
      throw new EntraDirectoryError(`App role value '${given.value}' must be one word.`);
    }
    return {
      id: (given.id ?? deterministicGuid('appRole', clientId, given.value)).toLowerCase(),
      value: given.value,
      displayName: given.displayName ?? given.value,
      description: given.description ?? given.value,
      allowedMemberTypes: given.allowedMemberTypes ?? ['User', 'Application'],
    };
  });
  const version = input.accessTokenVersion ?? 2;
  if (version !== 1 && version !== 2) {
    throw new EntraDirectoryError(`accessTokenVersion must be 1 or 2, not ${version}.`);
  }
  const spaRedirectUris = (input.spaRedirectUris ?? []).map((uri) => {
    const problem = redirectUriProblem(uri);
    if (problem) throw new EntraDirectoryError(`SPA redirect URI '${uri}' ${problem}.`);
    return uri;
  });
  return {
    displayName: input.displayName ?? 'api',
    clientId,
    identifierUri: (input.identifierUri ?? `api://${clientId}`).replace(/\/+$/, ''),
    appRoles,
    scopes: input.scopes ?? ['access_as_user'],
    accessTokenVersion: version,
    spaRedirectUris,
  };
}
