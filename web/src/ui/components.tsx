import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Problem } from '../apiTypes.js';
import { parseRoute } from '../router.js';

/** The view last shown, to tell a new view from the same one shown again. */
let lastView: string | undefined;

/**
 * A view's frame: sets the document's title and, when one view replaces another, moves focus to
 * its heading, so people using a screen reader or the keyboard know where they are. The first
 * view of a load leaves focus where the browser puts it (the skip link is the first stop).
 */
export function Page(props: {
  title: string;
  children: ComponentChildren;
  lead?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Sandboxes`;
    const view = JSON.stringify(parseRoute(window.location.hash));
    if (lastView !== undefined && lastView !== view) heading.current?.focus();
    lastView = view;
  }, [props.title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.lead}
      {props.children}
    </>
  );
}

/** A problem from the API, announced. */
export function ProblemNotice(props: { problem: Problem; title?: string }) {
  return (
    <div class="notice notice-error" role="alert">
      <p class="notice-title">{props.title ?? props.problem.title}</p>
      <p>{props.problem.detail}</p>
      {props.problem.errors && props.problem.errors.length > 0 && (
        <ul>
          {props.problem.errors.map((error) => (
            <li key={`${error.pointer}-${error.rule}`}>{error.detail}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Something finished well, announced politely. */
export function SuccessNotice(props: { children: ComponentChildren }) {
  return (
    <div class="notice notice-success" role="status">
      {props.children}
    </div>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {props.what}…
    </p>
  );
}

/**
 * A table that scrolls sideways on a narrow screen, as a region the keyboard can reach and
 * scroll.
 */
export function TableRegion(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="table-wrap" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}

/** A small label for a state: `succeeded`, `blocked`, … */
export function Badge(props: {
  tone: 'good' | 'bad' | 'warn' | 'info' | 'neutral';
  children: ComponentChildren;
}) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

const TONES: Record<string, 'good' | 'bad' | 'warn' | 'info' | 'neutral'> = {
  succeeded: 'good',
  Succeeded: 'good',
  completed: 'good',
  deleted: 'good',
  marked: 'good',
  'already-gone': 'good',
  failed: 'bad',
  Failed: 'bad',
  blocked: 'warn',
  Deleting: 'warn',
  running: 'info',
  applying: 'info',
  queued: 'info',
  pending: 'neutral',
  skipped: 'neutral',
};

export function StatusBadge(props: { status: string }) {
  return <Badge tone={TONES[props.status] ?? 'neutral'}>{props.status}</Badge>;
}

/**
 * A question before something that cannot be undone, in a modal dialog: focus goes into it,
 * Escape cancels, and focus comes back to the button that opened it.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirm: string;
  children: ComponentChildren;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (props.open && !element.open) element.showModal();
    if (!props.open && element.open) element.close();
  }, [props.open]);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onCancel={props.onCancel} class="dialog">
      <h2 id="confirm-title">{props.title}</h2>
      {props.children}
      <div class="actions">
        <button type="button" class="button-danger" onClick={props.onConfirm}>
          {props.confirm}
        </button>
        <button type="button" class="button-secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** An instant with its machine-readable form. */
export function Instant(props: { iso: string | undefined; format: (iso: string) => string }) {
  if (!props.iso) return <span>—</span>;
  return <time dateTime={props.iso}>{props.format(props.iso)}</time>;
}
