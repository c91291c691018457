import type { ComponentChildren } from 'preact';
import type { SignIn } from './auth.js';
import { hasRole, ROLES, useApp } from './context.js';
import { href, type Route, useRoute } from './router.js';
import { Page } from './ui/components.js';
import { AuditTrail } from './views/AuditTrail.js';
import { CleanupRunDetail } from './views/CleanupRunDetail.js';
import { CleanupRuns } from './views/CleanupRuns.js';
import { NewSandbox } from './views/NewSandbox.js';
import { OperationProgress } from './views/OperationProgress.js';
import { SandboxDetail } from './views/SandboxDetail.js';
import { SandboxList } from './views/SandboxList.js';

const focusMain = (event: Event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
};

/** The frame of every page: skip link, header with navigation and account, main, footer. */
export function Shell(props: {
  children: ComponentChildren;
  nav?: ComponentChildren;
  account?: ComponentChildren;
}) {
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: the fragment router owns the hash, so the skip link moves focus itself */}
      <a class="skip-link" href="#main" onClick={focusMain}>
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href={href.sandboxes()}>
          Sandboxes
        </a>
        {props.nav}
        {props.account}
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="site-footer">
        <a href="/api/openapi.json">API description (OpenAPI 3.1)</a>
      </footer>
    </>
  );
}

function NavLink(props: { to: string; current: boolean; children: ComponentChildren }) {
  return (
    <li>
      <a href={props.to} aria-current={props.current ? 'page' : undefined}>
        {props.children}
      </a>
    </li>
  );
}

function view(route: Route, may: { request: boolean; govern: boolean }) {
  switch (route.view) {
    case 'sandboxes':
      return <SandboxList />;
    case 'sandbox':
      return <SandboxDetail name={route.name} />;
    case 'new':
      return may.request ? <NewSandbox /> : <NotAllowed what="Requesting sandboxes" />;
    case 'operation':
      return <OperationProgress id={route.id} />;
    case 'cleanup':
      return may.govern ? <CleanupRuns /> : <NotAllowed what="Cleanup runs" />;
    case 'run':
      return may.govern ? <CleanupRunDetail id={route.id} /> : <NotAllowed what="Cleanup runs" />;
    case 'audit':
      return may.govern ? <AuditTrail /> : <NotAllowed what="The audit trail" />;
    case 'not-found':
      return (
        <Page title="Not found">
          <p>
            Nothing lives at <code>{route.path}</code>.{' '}
            <a href={href.sandboxes()}>Go to my sandboxes</a>.
          </p>
        </Page>
      );
  }
}

function NotAllowed(props: { what: string }) {
  return (
    <Page title="Not for your role">
      <p>{props.what} need an app role your account does not hold. Ask an administrator.</p>
    </Page>
  );
}

/** The signed-in app: navigation by role, and the view the URL names. */
export function SignedInApp(props: { signIn: SignIn }) {
  const { caller } = useApp();
  const route = useRoute();
  const may = {
    request: hasRole(caller, ROLES.user, ROLES.admin),
    govern: hasRole(caller, ROLES.admin, ROLES.approver),
  };
  const at = route.view;
  return (
    <Shell
      nav={
        <nav aria-label="Main">
          <ul>
            <NavLink to={href.sandboxes()} current={at === 'sandboxes' || at === 'sandbox'}>
              My sandboxes
            </NavLink>
            {may.request && (
              <NavLink to={href.new()} current={at === 'new'}>
                New sandbox
              </NavLink>
            )}
            {may.govern && (
              <NavLink to={href.cleanup()} current={at === 'cleanup' || at === 'run'}>
                Cleanup runs
              </NavLink>
            )}
            {may.govern && (
              <NavLink to={href.audit()} current={at === 'audit'}>
                Audit trail
              </NavLink>
            )}
          </ul>
        </nav>
      }
      account={
        <div class="account">
          <span class="account-name">{caller.name}</span>
          <span class="muted account-roles">{caller.roles.join(', ')}</span>
          <button type="button" class="button-secondary" onClick={() => props.signIn.signOut()}>
            Sign out
          </button>
        </div>
      }
    >
      {view(route, may)}
    </Shell>
  );
}
