/**
 * The page's entry: read how to sign in from the app, finish a sign-in that just came back, then
 * show the app to whoever is signed in (or the way to sign in).
 */
import { render } from 'preact';
import { Shell, SignedInApp } from './App.js';
import { ApiClient, ProblemError } from './api.js';
import type { ClientConfig } from './apiTypes.js';
import { SignIn } from './auth.js';
import { App } from './context.js';
import { Page, ProblemNotice } from './ui/components.js';
import { asProblem } from './ui/hooks.js';
import './styles.css';

const root = document.getElementById('app')!;

function SignedOut(props: { signIn: SignIn }) {
  return (
    <Shell>
      <Page title="Sign in">
        <p class="lead">
          Request Azure sandboxes with a lease, follow them as they are built, extend or delete
          them; and, for administrators, review cleanup runs and the audit trail.
        </p>
        <button type="button" onClick={() => props.signIn.signIn()}>
          Sign in
        </button>
      </Page>
    </Shell>
  );
}

function Failed(props: { error: unknown; signIn?: SignIn }) {
  const problem = asProblem(props.error);
  const noRole = problem.status === 403;
  return (
    <Shell
      account={
        props.signIn?.account() ? (
          <div class="account">
            <button type="button" class="button-secondary" onClick={() => props.signIn?.signOut()}>
              Sign out
            </button>
          </div>
        ) : undefined
      }
    >
      <Page title={noRole ? 'No access yet' : 'Something went wrong'}>
        {noRole ? (
          <p>Your account holds no app role of this app. Ask an administrator to assign you one.</p>
        ) : (
          <ProblemNotice problem={problem} />
        )}
      </Page>
    </Shell>
  );
}

async function start(): Promise<void> {
  let signIn: SignIn | undefined;
  try {
    const response = await fetch('/api/client-config', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`The app's sign-in settings answered ${response.status}.`);
    const config = (await response.json()) as ClientConfig;
    signIn = await SignIn.start(config);
    if (!signIn.account()) {
      render(<SignedOut signIn={signIn} />, root);
      return;
    }
    const session = signIn;
    const api = new ApiClient(() => session.token());
    const caller = await api.me();
    render(
      <App.Provider value={{ api, caller, config }}>
        <SignedInApp signIn={session} />
      </App.Provider>,
      root,
    );
  } catch (error) {
    if (error instanceof ProblemError || error instanceof Error) {
      render(<Failed error={error} {...(signIn ? { signIn } : {})} />, root);
      return;
    }
    throw error;
  }
}

void start();
