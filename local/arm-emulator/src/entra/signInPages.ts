/**
 * The local Entra ID's pages: the sign-in form, the error page and the signed-out page. Plain
 * HTML with no script, labelled fields and the error announced, so any browser (and a test
 * driving one) can sign in from the keyboard.
 */
import type { EntraError } from './EntraError.js';

const escapeHtml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#1b1b1b}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin:0 0 1rem}label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #666;border-radius:2px}
button{margin-top:1.5rem;padding:.6rem 1.5rem;font-size:1rem;background:#0067b8;color:#fff;border:0;border-radius:2px;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
.alert{color:#a80000;font-weight:600}.note{font-size:.875rem;color:#444}code{font-size:.875rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>
`;
}

export interface SignInPageInput {
  /** Where the form posts: `/{tenant}/login`. */
  action: string;
  /** The signed authorization request the form carries back. */
  context: string;
  /** The application the person signs in to. */
  appName: string;
  tenantId: string;
  username?: string;
  problem?: string;
  /** The directory's sign-in names, to help on a local machine (never their passwords). */
  users: readonly string[];
}

/**
 * The sign-in form.
 *
 * @example
 * renderSignInPage({ action: '/tenant/login', context, appName: 'sandbox-automation', tenantId, users });
 */
export function renderSignInPage(input: SignInPageInput): string {
  const problem = input.problem
    ? `<p class="alert" role="alert" id="problem">${escapeHtml(input.problem)}</p>`
    : '';
  const described = input.problem ? ' aria-describedby="problem"' : '';
  const users = input.users.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ');
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.appName)}</strong></p>
${problem}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="ctx" value="${escapeHtml(input.context)}">
<label for="login">Email, phone, or Skype</label>
<input id="login" name="login" type="email" autocomplete="username" required value="${escapeHtml(input.username ?? '')}"${described}>
<label for="passwd">Password</label>
<input id="passwd" name="passwd" type="password" autocomplete="current-password" required${described}>
<button type="submit">Sign in</button>
</form>
<p class="note">Local Entra ID (tenant <code>${escapeHtml(input.tenantId)}</code>), for development only.
Users: ${users || 'none'}. Their passwords are in <code>.local/runtime.json</code> (<code>entra.users</code>).</p>`,
  );
}

/**
 * The page Entra shows when it cannot send the browser back to the application.
 *
 * @example
 * renderErrorPage(EntraError.invalidRequest(50011, 'The redirect URI …'));
 */
export function renderErrorPage(error: EntraError, correlationId: string): string {
  return page(
    'Sign in to your account',
    `<h1>Sorry, but we’re having trouble signing you in.</h1>
<p class="alert" role="alert">${escapeHtml(error.message)}</p>
<p class="note">Correlation ID: <code>${escapeHtml(correlationId)}</code></p>`,
  );
}

/** The page after signing out when there is no application to go back to. */
export function renderSignedOutPage(): string {
  return page(
    'Sign out',
    `<h1>You signed out of your account</h1>
<p>It’s a good idea to close all browser windows.</p>`,
  );
}

/**
 * The device login page: where a person enters the code a device shows them.
 *
 * @example
 * renderDeviceCodePage({ action: '/tenant/devicelogin', tenantId });
 */
export function renderDeviceCodePage(input: {
  action: string;
  tenantId: string;
  problem?: string;
}): string {
  const problem = input.problem
    ? `<p class="alert" role="alert" id="problem">${escapeHtml(input.problem)}</p>`
    : '';
  const described = input.problem ? ' aria-describedby="problem"' : '';
  return page(
    'Enter code',
    `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${problem}
<form method="post" action="${escapeHtml(input.action)}">
<label for="otc">Code</label>
<input id="otc" name="otc" type="text" autocomplete="off" autocapitalize="characters" required${described}>
<button type="submit">Next</button>
</form>
<p class="note">Local Entra ID (tenant <code>${escapeHtml(input.tenantId)}</code>), for development only.</p>`,
  );
}

/** The page after a person signed in for a device. */
export function renderDeviceSignedInPage(appName: string): string {
  return page(
    'Signed in',
    `<h1>${escapeHtml(appName)}</h1>
<p>You have signed in to the ${escapeHtml(appName)} application on your device. You may now close this window.</p>`,
  );
}
