import { useEffect, useState } from 'preact/hooks';
import type { CleanupAction, CleanupRun, Problem } from '../apiTypes.js';
import { hasRole, ROLES, useApp } from '../context.js';
import { formatInstant } from '../format.js';
import { href } from '../router.js';
import {
  Badge,
  Instant,
  Loading,
  Page,
  ProblemNotice,
  StatusBadge,
  SuccessNotice,
  TableRegion,
} from '../ui/components.js';
import { asProblem, sleep, useLifetime } from '../ui/hooks.js';

const ACTIONS: CleanupAction[] = ['delete', 'delete-marked', 'mark', 'warn', 'skip'];
const settled = (run: CleanupRun) => run.status !== 'queued' && run.status !== 'applying';

/** Whether a run waits for someone's approval: blocked by the breaker, or a finished dry run. */
const approvable = (run: CleanupRun) =>
  run.status === 'blocked' || (run.mode === 'dry-run' && run.status === 'completed');

/**
 * One cleanup run: what kind of run it is, its summary and the breaker's numbers, the plan as a
 * table filtered by action, and the approve button when the plan waits for one.
 */
export function CleanupRunDetail(props: { id: string }) {
  const { api, caller } = useApp();
  const signal = useLifetime();
  const [run, setRun] = useState<CleanupRun>();
  const [problem, setProblem] = useState<Problem>();
  const [generation, setGeneration] = useState(0);
  const [filter, setFilter] = useState<CleanupAction | 'all'>('all');
  const [approving, setApproving] = useState(false);
  const [approved, setApproved] = useState<string>();
  const [markdown, setMarkdown] = useState<string>();

  useEffect(() => {
    let stop = false;
    (async () => {
      while (!stop && !signal.aborted) {
        try {
          const current = await api.run(props.id);
          if (stop) return;
          setRun(current);
          setProblem(undefined);
          if (settled(current)) return;
        } catch (error) {
          setProblem(asProblem(error));
          return;
        }
        await sleep(2_000, signal);
      }
    })();
    return () => {
      stop = true;
    };
  }, [api, props.id, signal, generation]);

  const approve = async () => {
    setApproving(true);
    setProblem(undefined);
    try {
      const accepted = await api.approveRun(props.id);
      setApproved(
        `Approved: ${accepted.status === 'applying' ? 'the plan is being applied' : accepted.status}.`,
      );
      setGeneration((g) => g + 1);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setApproving(false);
    }
  };

  const mayApprove = hasRole(caller, ROLES.admin, ROLES.approver);
  const items = run?.items.filter((item) => filter === 'all' || item.action === filter) ?? [];
  return (
    <Page title={`Cleanup run ${props.id}`}>
      <p>
        <a href={href.cleanup()}>Back to cleanup runs</a>
      </p>
      {problem && <ProblemNotice problem={problem} />}
      {approved && <SuccessNotice>{approved}</SuccessNotice>}
      {!run && !problem && <Loading what="the run" />}
      {run && (
        <>
          <div class={`notice ${run.mode === 'dry-run' ? 'notice-info' : 'notice-warn'}`}>
            {run.mode === 'dry-run' ? (
              <p>
                <strong>Dry run.</strong> The plan was only written down: nothing was deleted,
                marked or warned about. Approving it applies exactly this plan.
              </p>
            ) : (
              <p>
                <strong>Apply run.</strong> The plan’s deletes, marks and warnings are carried out;
                each group is checked again just before it is acted on, and the outcome says what
                happened.
              </p>
            )}
          </div>
          <section aria-labelledby="summary-heading">
            <h2 id="summary-heading">Summary</h2>
            <dl class="facts">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={run.status} />
              </dd>
              <dt>Mode</dt>
              <dd>{run.mode === 'dry-run' ? 'Dry run' : 'Apply'}</dd>
              <dt>Started by</dt>
              <dd>
                {run.requestedBy} ({run.trigger === 'timer' ? 'schedule' : 'by hand'})
              </dd>
              {run.approvedBy && (
                <>
                  <dt>Approved by</dt>
                  <dd>{run.approvedBy}</dd>
                </>
              )}
              <dt>Requested</dt>
              <dd>
                <Instant iso={run.timings.requestedAt} format={(iso) => formatInstant(iso)} />
              </dd>
              <dt>Planned</dt>
              <dd>
                <Instant iso={run.timings.plannedAt} format={(iso) => formatInstant(iso)} />
              </dd>
              {run.timings.finishedAt && (
                <>
                  <dt>Finished</dt>
                  <dd>
                    <Instant iso={run.timings.finishedAt} format={(iso) => formatInstant(iso)} />
                  </dd>
                </>
              )}
              <dt>Planned actions</dt>
              <dd>
                {run.counts
                  ? ACTIONS.map((action) => `${action} ${run.counts?.[action] ?? 0}`).join(' · ')
                  : 'not planned yet'}
              </dd>
              {Object.keys(run.outcomes).length > 0 && (
                <>
                  <dt>Outcomes</dt>
                  <dd>
                    {Object.entries(run.outcomes)
                      .map(([status, count]) => `${status} ${count}`)
                      .join(' · ')}
                  </dd>
                </>
              )}
            </dl>
            {run.error && (
              <div class="notice notice-error" role="alert">
                <p>{run.error}</p>
              </div>
            )}
          </section>
          {run.blastRadius && (
            <section aria-labelledby="breaker-heading">
              <h2 id="breaker-heading">Blast-radius breaker</h2>
              <p>
                {run.blastRadius.tripped ? (
                  <Badge tone="warn">tripped</Badge>
                ) : (
                  <Badge tone="good">not tripped</Badge>
                )}{' '}
                {run.blastRadius.deletes} deletes of {run.blastRadius.governed} governed groups (
                {Math.round(run.blastRadius.fraction * 100)}%); limits {run.blastRadius.maxDeletes}{' '}
                deletes and {Math.round(run.blastRadius.maxDeleteFraction * 100)}%.
              </p>
              {run.blastRadius.reasons.length > 0 && (
                <ul>
                  {run.blastRadius.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              )}
            </section>
          )}
          {approvable(run) && mayApprove && (
            <section aria-labelledby="approve-heading" class="approve">
              <h2 id="approve-heading">Approval</h2>
              <p>
                {run.status === 'blocked'
                  ? 'This plan was blocked by the breaker. Approving it applies exactly this plan.'
                  : 'This dry run can be applied as it is.'}{' '}
                Nobody may approve a run they started.
              </p>
              <button type="button" disabled={approving} onClick={approve}>
                {approving ? 'Approving…' : 'Approve this plan'}
              </button>
            </section>
          )}
          <section aria-labelledby="plan-heading">
            <h2 id="plan-heading">Plan</h2>
            <div class="field inline-form">
              <label for="action-filter">Show action</label>
              <select
                id="action-filter"
                value={filter}
                onChange={(event) => setFilter(event.currentTarget.value as CleanupAction | 'all')}
              >
                <option value="all">all ({run.items.length})</option>
                {ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {action} ({run.items.filter((i) => i.action === action).length})
                  </option>
                ))}
              </select>
            </div>
            <p role="status" class="muted">
              {items.length} of {run.items.length} groups shown.
            </p>
            {items.length > 0 && (
              <TableRegion label="Plan">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Resource group</th>
                      <th scope="col">Action</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Detail</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((item) => (
                      <tr key={`${item.subscriptionId}/${item.name}`}>
                        <th scope="row">{item.name}</th>
                        <td>
                          <Badge
                            tone={
                              item.action === 'skip'
                                ? 'neutral'
                                : item.action === 'warn'
                                  ? 'info'
                                  : 'warn'
                            }
                          >
                            {item.action}
                          </Badge>
                        </td>
                        <td>{item.reason}</td>
                        <td>{item.detail}</td>
                        <td>
                          {item.outcome ? (
                            <>
                              <StatusBadge status={item.outcome.status} />
                              {item.outcome.reason && (
                                <span class="muted"> {item.outcome.reason}</span>
                              )}
                            </>
                          ) : run.mode === 'dry-run' ? (
                            'not applied'
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
            )}
          </section>
          <details
            class="summary-markdown"
            onToggle={(event) => {
              if ((event.currentTarget as HTMLDetailsElement).open && markdown === undefined) {
                api
                  .runSummary(props.id)
                  .then(setMarkdown, (error: unknown) => setMarkdown(asProblem(error).detail));
              }
            }}
          >
            <summary>Summary for people (Markdown)</summary>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: long text must be scrollable by keyboard */}
            <pre tabIndex={0}>{markdown ?? 'Loading…'}</pre>
          </details>
        </>
      )}
    </Page>
  );
}
