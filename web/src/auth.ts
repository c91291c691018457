/**
 * Signing people in with MSAL.js: the authorization code flow with PKCE through redirects, against
 * Entra ID in Azure or the local Entra ID on `npm start` (the authority the app's settings name).
 * Tokens are kept in session storage and renewed silently; when that needs the person again, the
 * browser is sent to sign in.
 */
import {
  type AccountInfo,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from '@azure/msal-browser';
import type { ClientConfig } from './apiTypes.js';

export class SignIn {
  private constructor(
    private readonly msal: PublicClientApplication,
    private readonly scopes: string[],
  ) {}

  /** MSAL set up for the app's registration, with any sign-in that just came back handled. */
  static async start(config: ClientConfig): Promise<SignIn> {
    const home = `${window.location.origin}/`;
    const msal = new PublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        knownAuthorities: config.knownAuthorities,
        redirectUri: home,
        postLogoutRedirectUri: home,
      },
      cache: { cacheLocation: 'sessionStorage' },
    });
    await msal.initialize();
    const result = await msal.handleRedirectPromise();
    const account = result?.account ?? msal.getActiveAccount() ?? msal.getAllAccounts()[0];
    if (account) msal.setActiveAccount(account);
    return new SignIn(msal, config.scopes);
  }

  /** The signed-in person, or `null`. */
  account(): AccountInfo | null {
    return this.msal.getActiveAccount();
  }

  /** Sends the browser to sign in; it comes back to the page it left. */
  async signIn(): Promise<void> {
    await this.msal.loginRedirect({ scopes: this.scopes });
  }

  async signOut(): Promise<void> {
    const account = this.account();
    await this.msal.logoutRedirect(account ? { account } : {});
  }

  /** An access token for the API, renewed silently when it can be. */
  async token(): Promise<string> {
    const account = this.account();
    if (!account) throw new Error('Nobody is signed in.');
    try {
      return (await this.msal.acquireTokenSilent({ scopes: this.scopes, account })).accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        await this.msal.acquireTokenRedirect({ scopes: this.scopes, account });
      }
      throw error;
    }
  }
}
