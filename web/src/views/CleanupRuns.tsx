import { useState } from 'preact/hooks';
import type { Problem } from '../apiTypes.js';
import { hasRole, ROLES, useApp } from '../context.js';
import { formatInstant, runProgress } from '../format.js';
import { href, navigate } from '../router.js';
import {
  ConfirmDialog,
  Instant,
  Loading,
  Page,
  ProblemNotice,
  StatusBadge,
  TableRegion,
} from '../ui/components.js';
import { asProblem, useLoad } from '../ui/hooks.js';

/** Cleanup runs, newest first; admins start dry runs and apply runs here. */
export function CleanupRuns() {
  const { api, caller } = useApp();
  const runs = useLoad(() => api.listRuns(20), []);
  const admin = hasRole(caller, ROLES.admin);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const start = async (dryRun: boolean) => {
    setConfirming(false);
    setBusy(true);
    setProblem(undefined);
    try {
      const run = await api.startRun(dryRun);
      navigate(href.run(run.runId));
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  };

  return (
    <Page title="Cleanup runs">
      <p class="lead">
        A run lists every resource group, decides what to do with each and writes the plan down
        before it touches anything. A dry run stops there; an apply run carries the plan out.
      </p>
      {admin && (
        <div class="toolbar">
          <button type="button" disabled={busy} onClick={() => start(true)}>
            Start a dry run
          </button>
          <button
            type="button"
            class="button-danger"
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            Start an apply run
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title="Start an apply run?"
        confirm="Start apply run"
        onConfirm={() => start(false)}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Expired sandboxes will be deleted. A plan that would delete too much is blocked until
          someone approves it.
        </p>
      </ConfirmDialog>
      {problem && <ProblemNotice problem={problem} />}
      {runs.problem && <ProblemNotice problem={runs.problem} />}
      {runs.loading && !runs.data && <Loading what="runs" />}
      {runs.data && runs.data.length === 0 && <p>No runs yet.</p>}
      {runs.data && runs.data.length > 0 && (
        <TableRegion label="Cleanup runs">
          <table>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
                <th scope="col">Deletes planned</th>
                <th scope="col">Outcome</th>
                <th scope="col">Started by</th>
                <th scope="col">Requested</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => (
                <tr key={run.runId}>
                  <th scope="row">
                    <a href={href.run(run.runId)}>{run.runId}</a>
                  </th>
                  <td>{run.mode === 'dry-run' ? 'Dry run' : 'Apply'}</td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td>
                    {run.counts
                      ? (run.counts.delete ?? 0) + (run.counts['delete-marked'] ?? 0)
                      : '—'}
                  </td>
                  <td>{runProgress(run)}</td>
                  <td>{run.requestedBy}</td>
                  <td>
                    <Instant iso={run.requestedAt} format={(iso) => formatInstant(iso)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </Page>
  );
}
