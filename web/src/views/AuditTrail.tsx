import { useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { actionLabel, formatInstant } from '../format.js';
import { href } from '../router.js';
import { Instant, Loading, Page, ProblemNotice, TableRegion } from '../ui/components.js';
import { useLoad } from '../ui/hooks.js';

const PAGE = 50;

/** The audit trail, one UTC day at a time, newest first. */
export function AuditTrail() {
  const { api } = useApp();
  const [day, setDay] = useState(() => new Date().toISOString().slice(0, 10));
  const [skip, setSkip] = useState(0);
  const page = useLoad(() => api.audit(day, skip, PAGE), [day, skip]);
  return (
    <Page title="Audit trail">
      <div class="field inline-form">
        <label for="audit-day">Day (UTC)</label>
        <input
          id="audit-day"
          type="date"
          value={day}
          onChange={(event) => {
            setDay(event.currentTarget.value);
            setSkip(0);
          }}
        />
      </div>
      {page.problem && <ProblemNotice problem={page.problem} />}
      {page.loading && !page.data && <Loading what="the audit trail" />}
      {page.data && (
        <>
          <p role="status" class="muted">
            {page.data.total === 0
              ? 'Nothing happened that day.'
              : `Entries ${skip + 1} to ${skip + page.data.value.length} of ${page.data.total}, newest first.`}
          </p>
          {page.data.value.length > 0 && (
            <TableRegion label="Audit entries">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Resource group</th>
                    <th scope="col">Who</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.value.map((entry) => (
                    <tr key={`${entry.at}-${entry.action}-${entry.resourceGroup}`}>
                      <td>
                        <Instant iso={entry.at} format={(iso) => formatInstant(iso)} />
                      </td>
                      <td>
                        {actionLabel(entry.action)}
                        {entry.runId && (
                          <>
                            {' '}
                            (<a href={href.run(entry.runId)}>run</a>)
                          </>
                        )}
                        {entry.operationId && (
                          <>
                            {' '}
                            (<a href={href.operation(entry.operationId)}>operation</a>)
                          </>
                        )}
                      </td>
                      <td>{entry.resourceGroup}</td>
                      <td>{entry.actor}</td>
                      <td>{entry.reason ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )}
          <nav class="pager" aria-label="Pages of the audit trail">
            <button
              type="button"
              class="button-secondary"
              disabled={skip === 0}
              onClick={() => setSkip(Math.max(0, skip - PAGE))}
            >
              Newer
            </button>
            <button
              type="button"
              class="button-secondary"
              disabled={!page.data.nextLink}
              onClick={() => setSkip(skip + PAGE)}
            >
              Older
            </button>
          </nav>
        </>
      )}
    </Page>
  );
}
