import { useState } from 'preact/hooks';
import { hasRole, ROLES, useApp } from '../context.js';
import { formatRemaining } from '../format.js';
import { href } from '../router.js';
import { Loading, Page, ProblemNotice, StatusBadge, TableRegion } from '../ui/components.js';
import { useLoad, useNow } from '../ui/hooks.js';

/** My sandboxes: each with its lease's countdown; an admin can see everyone's. */
export function SandboxList() {
  const { api, caller } = useApp();
  const admin = hasRole(caller, ROLES.admin);
  const [everyone, setEveryone] = useState(false);
  const sandboxes = useLoad(
    () => api.listSandboxes(admin && !everyone ? caller.id : undefined),
    [admin, everyone],
  );
  const now = useNow(30_000);
  const canRequest = hasRole(caller, ROLES.user, ROLES.admin);
  return (
    <Page title={everyone ? 'All sandboxes' : 'My sandboxes'}>
      <div class="toolbar">
        {canRequest && (
          <a class="button" href={href.new()}>
            New sandbox
          </a>
        )}
        {admin && (
          <label class="inline">
            <input
              type="checkbox"
              checked={everyone}
              onChange={(event) => setEveryone(event.currentTarget.checked)}
            />{' '}
            Show everyone’s sandboxes
          </label>
        )}
      </div>
      {sandboxes.problem && <ProblemNotice problem={sandboxes.problem} />}
      {sandboxes.loading && !sandboxes.data && <Loading what="sandboxes" />}
      {sandboxes.data && sandboxes.data.length === 0 && (
        <p>No sandboxes yet. {canRequest && <a href={href.new()}>Request one</a>}</p>
      )}
      {sandboxes.data && sandboxes.data.length > 0 && (
        <TableRegion label="Sandboxes">
          <table>
            <caption class="visually-hidden">
              {sandboxes.data.length} sandboxes, with the time left on each lease
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Lease</th>
                <th scope="col">Blueprint</th>
                <th scope="col">Location</th>
                {everyone && <th scope="col">Owner</th>}
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {sandboxes.data.map((sandbox) => {
                const left = formatRemaining(sandbox.expiresAt, now);
                return (
                  <tr key={sandbox.name}>
                    <th scope="row">
                      <a href={href.sandbox(sandbox.name)}>{sandbox.name}</a>
                    </th>
                    <td class={left.soon ? 'lease-soon' : undefined}>
                      <time dateTime={sandbox.expiresAt}>{left.text}</time>
                    </td>
                    <td>{sandbox.blueprint ?? '—'}</td>
                    <td>{sandbox.location}</td>
                    {everyone && <td>{sandbox.ownerName ?? sandbox.owner}</td>}
                    <td>
                      <StatusBadge status={sandbox.state} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
    </Page>
  );
}
