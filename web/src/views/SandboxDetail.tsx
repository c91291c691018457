import { useState } from 'preact/hooks';
import type { Problem, Sandbox } from '../apiTypes.js';
import { useApp } from '../context.js';
import { actionLabel, formatInstant, formatRemaining, portalLink, shortType } from '../format.js';
import { href, navigate } from '../router.js';
import {
  ConfirmDialog,
  Instant,
  Loading,
  Page,
  ProblemNotice,
  StatusBadge,
  SuccessNotice,
  TableRegion,
} from '../ui/components.js';
import { asProblem, useLoad, useNow } from '../ui/hooks.js';

const POWER_TAG = 'sandbox-power-schedule';

/** The power schedule the sandbox's view or its tag holds (tag names ignore case, as in ARM). */
function powerScheduleOf(sandbox: Sandbox): string | undefined {
  if (sandbox.powerSchedule) return sandbox.powerSchedule;
  const key = Object.keys(sandbox.tags).find((name) => name.toLowerCase() === POWER_TAG);
  return key ? sandbox.tags[key] : undefined;
}

/** One sandbox: its lease (extend, delete), power schedule, resources and history. */
export function SandboxDetail(props: { name: string }) {
  const { api } = useApp();
  const sandbox = useLoad(() => api.getSandbox(props.name), [props.name]);
  return (
    <Page title={props.name}>
      <p>
        <a href={href.sandboxes()}>Back to my sandboxes</a>
      </p>
      {sandbox.problem && <ProblemNotice problem={sandbox.problem} />}
      {sandbox.loading && !sandbox.data && <Loading what="the sandbox" />}
      {sandbox.data && <SandboxSections sandbox={sandbox.data} reload={sandbox.reload} />}
    </Page>
  );
}

function SandboxSections(props: { sandbox: Sandbox; reload: () => void }) {
  const { config } = useApp();
  const { sandbox } = props;
  return (
    <>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StatusBadge status={sandbox.state} />
        </dd>
        <dt>Blueprint</dt>
        <dd>{sandbox.blueprint ?? '—'}</dd>
        <dt>Location</dt>
        <dd>{sandbox.location}</dd>
        <dt>Owner</dt>
        <dd>{sandbox.ownerName ?? sandbox.owner}</dd>
        <dt>Resource group</dt>
        <dd>
          <a
            href={portalLink(config.portalUrl, config.tenantId, sandbox.resourceGroupId)}
            target="_blank"
            rel="noopener noreferrer"
          >
            Open in the Azure portal<span class="visually-hidden"> (opens in a new tab)</span>
          </a>
        </dd>
      </dl>
      <LeaseSection sandbox={sandbox} onChanged={props.reload} />
      <PowerScheduleSection sandbox={sandbox} onChanged={props.reload} />
      <ResourcesSection name={sandbox.name} />
      {/* The history reloads whenever the sandbox changed, to show what just happened. */}
      <HistorySection
        name={sandbox.name}
        version={`${sandbox.expiresAt} ${powerScheduleOf(sandbox) ?? ''}`}
      />
    </>
  );
}

function LeaseSection(props: { sandbox: Sandbox; onChanged: () => void }) {
  const { api } = useApp();
  const { sandbox } = props;
  const now = useNow(15_000);
  const left = formatRemaining(sandbox.expiresAt, now);
  const [hours, setHours] = useState('24');
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const extend = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      const updated = await api.extendSandbox(sandbox.name, Number(hours));
      setDone(`The lease now ends ${formatInstant(updated.expiresAt)}.`);
      props.onChanged();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setConfirming(false);
    setBusy(true);
    setProblem(undefined);
    try {
      const accepted = await api.deleteSandbox(sandbox.name);
      navigate(href.operation(accepted.operationId));
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="lease-heading">
      <h2 id="lease-heading">Lease</h2>
      <p class={`countdown${left.soon ? ' lease-soon' : ''}`}>
        <time dateTime={sandbox.expiresAt}>{left.text}</time>
        <span class="muted">
          {' '}
          (ends <Instant iso={sandbox.expiresAt} format={(iso) => formatInstant(iso)} />)
        </span>
      </p>
      {problem && <ProblemNotice problem={problem} />}
      {done && <SuccessNotice>{done}</SuccessNotice>}
      <form class="inline-form" onSubmit={extend}>
        <label for="extend-hours">Extend to hours from now</label>
        <input
          id="extend-hours"
          name="ttlHours"
          type="number"
          inputMode="numeric"
          min={1}
          value={hours}
          onInput={(event) => setHours(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Extend lease
        </button>
      </form>
      <p>
        <button
          type="button"
          class="button-danger"
          disabled={busy}
          onClick={() => setConfirming(true)}
        >
          Delete sandbox
        </button>
      </p>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${sandbox.name}?`}
        confirm="Delete"
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
      >
        <p>The resource group and everything in it will be deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

function PowerScheduleSection(props: { sandbox: Sandbox; onChanged: () => void }) {
  const { api } = useApp();
  const schedule = powerScheduleOf(props.sandbox);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      const updated = await api.setPowerSchedule(props.sandbox.name, value.trim());
      setDone(`The power schedule is now ${powerScheduleOf(updated) ?? value.trim()}.`);
      setValue('');
      props.onChanged();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="power-heading">
      <h2 id="power-heading">Power schedule</h2>
      <p>
        {schedule ? (
          <>
            The VMs follow <code>{schedule}</code>.
          </>
        ) : (
          'No schedule: the VMs run until someone stops them.'
        )}
      </p>
      {problem && <ProblemNotice problem={problem} />}
      {done && <SuccessNotice>{done}</SuccessNotice>}
      <form class="inline-form" onSubmit={submit}>
        <label for="power-schedule">New schedule</label>
        <input
          id="power-schedule"
          name="powerSchedule"
          type="text"
          required
          spellcheck={false}
          autocomplete="off"
          aria-describedby="power-help"
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Set schedule
        </button>
      </form>
      <p id="power-help" class="hint">
        Cloud Custodian’s off-hours syntax, for example{' '}
        <code>off=(M-F,19);on=(M-F,7);tz=Europe/Berlin</code>; <code>off</code> opts out.
      </p>
    </section>
  );
}

function ResourcesSection(props: { name: string }) {
  const { api, config } = useApp();
  const resources = useLoad(() => api.listResources(props.name), [props.name]);
  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">Resources</h2>
      {resources.problem && <ProblemNotice problem={resources.problem} />}
      {resources.loading && !resources.data && <Loading what="resources" />}
      {resources.data && resources.data.length === 0 && <p>The resource group is empty.</p>}
      {resources.data && resources.data.length > 0 && (
        <TableRegion label="Resources">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {resources.data.map((resource) => (
                <tr key={resource.id}>
                  <th scope="row">
                    <a
                      href={portalLink(config.portalUrl, config.tenantId, resource.id)}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {resource.name}
                      <span class="visually-hidden"> in the Azure portal (opens in a new tab)</span>
                    </a>
                  </th>
                  <td>
                    <abbr title={resource.type}>{shortType(resource.type)}</abbr>
                  </td>
                  <td>
                    {resource.provisioningState ? (
                      <StatusBadge status={resource.provisioningState} />
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
  );
}

function HistorySection(props: { name: string; version: string }) {
  const { api } = useApp();
  const history = useLoad(() => api.history(props.name), [props.name, props.version]);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {history.problem && <ProblemNotice problem={history.problem} />}
      {history.loading && !history.data && <Loading what="history" />}
      {history.data && history.data.length === 0 && <p>Nothing recorded yet.</p>}
      {history.data && history.data.length > 0 && (
        <ul class="history">
          {history.data.map((entry) => (
            <li key={`${entry.at}-${entry.action}`}>
              <Instant iso={entry.at} format={(iso) => formatInstant(iso)} />{' '}
              <strong>{actionLabel(entry.action)}</strong> by {entry.actor}
              {entry.reason && <span class="muted"> ({entry.reason})</span>}
              {entry.operationId && (
                <>
                  {' · '}
                  <a href={href.operation(entry.operationId)}>operation</a>
                </>
              )}
              {entry.action === 'sandbox.extended' && typeof entry.details?.to === 'string' && (
                <span class="muted"> · until {formatInstant(entry.details.to)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
