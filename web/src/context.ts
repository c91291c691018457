import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.js';
import type { Caller, ClientConfig } from './apiTypes.js';

/** What every view works with: the API, who is signed in, and the app's public settings. */
export interface AppContext {
  api: ApiClient;
  caller: Caller;
  config: ClientConfig;
}

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const context = useContext(App);
  if (!context) throw new Error('useApp outside of the app');
  return context;
}

export const ROLES = {
  user: 'Sandbox.User',
  admin: 'Sandbox.Admin',
  approver: 'Sandbox.Approver',
} as const;

export const hasRole = (caller: Caller, ...roles: string[]) =>
  caller.roles.some((role) => roles.includes(role));
