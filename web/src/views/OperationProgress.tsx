import { useEffect, useState } from 'preact/hooks';
import { retryAfterMs } from '../api.js';
import type { Operation, Problem } from '../apiTypes.js';
import { useApp } from '../context.js';
import { formatInstant } from '../format.js';
import { href } from '../router.js';
import { Instant, Loading, Page, ProblemNotice, StatusBadge } from '../ui/components.js';
import { asProblem, sleep, useLifetime } from '../ui/hooks.js';

const finished = (operation: Operation) =>
  operation.status === 'succeeded' || operation.status === 'failed';

/**
 * An operation as it runs: its steps and their states, polled as the API asks (`Retry-After`)
 * until it has succeeded or failed.
 */
export function OperationProgress(props: { id: string }) {
  const { api } = useApp();
  const signal = useLifetime();
  const [operation, setOperation] = useState<Operation>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    let stop = false;
    (async () => {
      while (!stop && !signal.aborted) {
        let wait = 2_000;
        try {
          const { body, headers } = await api.operation(props.id);
          if (stop) return;
          setOperation(body);
          setProblem(undefined);
          if (finished(body)) return;
          wait = retryAfterMs(headers, 2_000);
        } catch (error) {
          const found = asProblem(error);
          setProblem(found);
          if (found.status >= 400 && found.status < 500 && found.status !== 429) return;
          wait = 5_000;
        }
        await sleep(wait, signal);
      }
    })();
    return () => {
      stop = true;
    };
  }, [api, props.id, signal]);

  const verb = operation?.kind === 'teardown' ? 'Deleting' : 'Building';
  const done = operation?.steps.filter((s) => s.state === 'succeeded').length ?? 0;
  const total = operation?.steps.length ?? 0;
  const title = operation ? `${verb} ${operation.sandbox}` : 'Operation';
  return (
    <Page title={title}>
      {problem && <ProblemNotice problem={problem} />}
      {!operation && !problem && <Loading what="the operation" />}
      {operation && (
        <>
          <p role="status" class="progress-status">
            {operation.status === 'succeeded'
              ? `${operation.kind === 'teardown' ? 'Deleted' : 'Ready'}: all ${total} steps succeeded.`
              : operation.status === 'failed'
                ? `Failed after ${done} of ${total} steps.`
                : `${operation.status === 'queued' ? 'Queued' : 'Running'}: ${done} of ${total} steps done.`}
          </p>
          <progress
            max={total || 1}
            value={operation.status === 'succeeded' ? total || 1 : done}
            aria-label={`${done} of ${total} steps done`}
          />
          {operation.error && (
            <div class="notice notice-error" role="alert">
              <p class="notice-title">{operation.error.code}</p>
              <p>{operation.error.message}</p>
            </div>
          )}
          <ol class="steps">
            {operation.steps.map((step) => (
              <li key={step.name}>
                <StatusBadge status={step.state} /> <strong>{step.name}</strong>{' '}
                <span class="muted resource-id">
                  {step.resourceId.split('/').slice(-2).join('/')}
                </span>
                {step.error && (
                  <p class="error-text">
                    {step.error.code}: {step.error.message}
                  </p>
                )}
              </li>
            ))}
          </ol>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={operation.status} />
            </dd>
            <dt>Requested by</dt>
            <dd>{operation.requestedBy}</dd>
            <dt>Started</dt>
            <dd>
              <Instant iso={operation.createdAt} format={(iso) => formatInstant(iso)} />
            </dd>
            <dt>Updated</dt>
            <dd>
              <Instant iso={operation.updatedAt} format={(iso) => formatInstant(iso)} />
            </dd>
          </dl>
          {operation.status === 'succeeded' && operation.kind === 'provision' && (
            <p>
              <a class="button" href={href.sandbox(operation.sandbox)}>
                Open {operation.sandbox}
              </a>
            </p>
          )}
          {finished(operation) && (
            <p>
              <a href={href.sandboxes()}>Back to my sandboxes</a>
            </p>
          )}
        </>
      )}
    </Page>
  );
}
