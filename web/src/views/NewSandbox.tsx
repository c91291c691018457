import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { sandboxRequestSchema } from '../api.js';
import type { Blueprint, JsonSchema, Policy, Problem } from '../apiTypes.js';
import { hasRole, ROLES, useApp } from '../context.js';
import { type PlacedProblem, placeProblem } from '../problems.js';
import { href, navigate } from '../router.js';
import { type FormField, fieldsOf, formValues } from '../schemaForm.js';
import { Loading, Page, ProblemNotice } from '../ui/components.js';
import { asProblem, useLoad } from '../ui/hooks.js';

/** The request's fields this form lays out itself; any other the API accepts is generated. */
const OWN_FIELDS = new Set([
  'name',
  'location',
  'ttlHours',
  'blueprint',
  'parameters',
  'tags',
  'owner',
]);

type Values = Record<string, string | boolean>;

/** A new sandbox: the request's fields, and the chosen blueprint's parameters from its schema. */
export function NewSandbox() {
  const { api, config } = useApp();
  const loaded = useLoad(
    () => Promise.all([api.blueprints(), api.policy(), sandboxRequestSchema(config.openApiUrl)]),
    [],
  );
  return (
    <Page title="New sandbox">
      {loaded.problem && <ProblemNotice problem={loaded.problem} />}
      {loaded.loading && !loaded.data && <Loading what="blueprints" />}
      {loaded.data && (
        <SandboxForm
          blueprints={loaded.data[0]}
          policy={loaded.data[1]}
          requestSchema={loaded.data[2]}
        />
      )}
    </Page>
  );
}

function SandboxForm(props: {
  blueprints: Blueprint[];
  policy: Policy;
  requestSchema: JsonSchema;
}) {
  const { api, caller } = useApp();
  const { blueprints, policy } = props;
  const [name, setName] = useState('');
  const [location, setLocation] = useState(
    policy.allowedLocations.includes('westeurope')
      ? 'westeurope'
      : (policy.allowedLocations[0] ?? ''),
  );
  const [ttlHours, setTtlHours] = useState(String(policy.defaultTtlHours));
  const [blueprint, setBlueprint] = useState(
    blueprints.find((b) => b.name === 'storage')?.name ?? blueprints[0]?.name ?? '',
  );
  const [owner, setOwner] = useState('');
  const [tags, setTags] = useState<Array<{ key: string; value: string }>>([]);
  const chosen = blueprints.find((b) => b.name === blueprint);
  const parameterFields = useMemo(
    () => (chosen ? fieldsOf(chosen.parameters, ['parameters']) : []),
    [chosen],
  );
  const extraFields = useMemo(
    () => fieldsOf(props.requestSchema).filter((field) => !OWN_FIELDS.has(field.name)),
    [props.requestSchema],
  );
  const [parameters, setParameters] = useState<Record<string, Values>>({});
  const [extras, setExtras] = useState<Values>({});
  const [placed, setPlaced] = useState<PlacedProblem>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const lastAttempt = useRef<{ body: string; key: string } | undefined>(undefined);
  const summary = useRef<HTMLDivElement>(null);

  const values = (field: FormField, of: Values | undefined) => of?.[field.name] ?? field.initial;
  const currentParameters = parameters[blueprint];
  const admin = hasRole(caller, ROLES.admin);

  useEffect(() => {
    if (placed) summary.current?.focus();
  }, [placed]);

  const pointers = new Set([
    '/name',
    '/location',
    '/ttlHours',
    '/blueprint',
    '/tags',
    '/owner',
    ...parameterFields.map((f) => f.pointer),
    ...extraFields.map((f) => f.pointer),
  ]);
  const errorsOf = (pointer: string) => placed?.byField.get(pointer);

  const submit = async (event: Event) => {
    event.preventDefault();
    const parameterValues = formValues(
      parameterFields,
      Object.fromEntries(parameterFields.map((f) => [f.name, values(f, currentParameters)])),
    );
    const body: Record<string, unknown> = {
      name: name.trim(),
      location,
      ttlHours:
        Number.isFinite(Number(ttlHours)) && ttlHours.trim() !== '' ? Number(ttlHours) : ttlHours,
      blueprint,
      ...(Object.keys(parameterValues).length > 0 ? { parameters: parameterValues } : {}),
      ...(tags.some((t) => t.key.trim())
        ? {
            tags: Object.fromEntries(
              tags.filter((t) => t.key.trim()).map((t) => [t.key.trim(), t.value]),
            ),
          }
        : {}),
      ...(admin && owner.trim() ? { owner: owner.trim() } : {}),
      ...formValues(
        extraFields,
        Object.fromEntries(extraFields.map((f) => [f.name, values(f, extras)])),
      ),
    };
    // The same request sent again (after a lost answer) keeps its key, so it is made once.
    const text = JSON.stringify(body);
    const key = lastAttempt.current?.body === text ? lastAttempt.current.key : crypto.randomUUID();
    lastAttempt.current = { body: text, key };
    setBusy(true);
    setPlaced(undefined);
    setProblem(undefined);
    try {
      const { body: accepted } = await api.createSandbox(body, key);
      navigate(href.operation(accepted.operationId));
    } catch (error) {
      const found = asProblem(error);
      setProblem(found);
      setPlaced(placeProblem(found, pointers));
      setBusy(false);
    }
  };

  const focusField = (pointer: string) => (event: Event) => {
    event.preventDefault();
    document.getElementById(idOf(pointer))?.focus();
  };

  return (
    <form onSubmit={submit} noValidate class="stack">
      {placed && problem && (
        <div class="error-summary" role="alert" tabIndex={-1} ref={summary}>
          <h2>{problem.title}</h2>
          <ul>
            {[...placed.byField.entries()].flatMap(([pointer, messages]) =>
              messages.map((message) => (
                <li key={`${pointer}-${message}`}>
                  <a href={`#${idOf(pointer)}`} onClick={focusField(pointer)}>
                    {labelOf(pointer, parameterFields, extraFields)}: {message}
                  </a>
                </li>
              )),
            )}
            {placed.general.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <TextField
        id="field-name"
        label="Name"
        hint="Also the name of its resource group."
        value={name}
        required
        onInput={setName}
        errors={errorsOf('/name')}
        autocomplete="off"
      />
      <div class={`field${errorsOf('/location') ? ' field-error' : ''}`}>
        <label for="field-location">Location</label>
        <ErrorText id="field-location" errors={errorsOf('/location')} />
        <select
          id="field-location"
          name="location"
          value={location}
          aria-invalid={errorsOf('/location') ? 'true' : undefined}
          aria-describedby={errorsOf('/location') ? 'field-location-error' : undefined}
          onChange={(event) => setLocation(event.currentTarget.value)}
        >
          {policy.allowedLocations.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <TextField
        id="field-ttlHours"
        label="Lease, in hours"
        hint={`The sandbox is deleted when its lease ends; at most ${policy.maxTtlHours} hours, and you can extend it.`}
        value={ttlHours}
        required
        inputMode="numeric"
        onInput={setTtlHours}
        errors={errorsOf('/ttlHours')}
      />
      <fieldset class={`field${errorsOf('/blueprint') ? ' field-error' : ''}`}>
        <legend>Blueprint</legend>
        <ErrorText id="field-blueprint" errors={errorsOf('/blueprint')} />
        {blueprints.map((b) => (
          <div class="choice" key={b.name}>
            <input
              type="radio"
              id={`blueprint-${b.name}`}
              name="blueprint"
              value={b.name}
              checked={blueprint === b.name}
              onChange={() => setBlueprint(b.name)}
              aria-describedby={`blueprint-${b.name}-hint`}
            />
            <label for={`blueprint-${b.name}`}>{b.name}</label>
            <p id={`blueprint-${b.name}-hint`} class="hint">
              {b.description}
            </p>
          </div>
        ))}
      </fieldset>
      {parameterFields.length > 0 && (
        <fieldset class="field-group">
          <legend>Parameters of {blueprint}</legend>
          {parameterFields.map((field) => (
            <SchemaField
              key={`${blueprint}-${field.name}`}
              field={field}
              value={values(field, currentParameters)}
              errors={errorsOf(field.pointer)}
              onChange={(value) =>
                setParameters((all) => ({
                  ...all,
                  [blueprint]: { ...all[blueprint], [field.name]: value },
                }))
              }
            />
          ))}
        </fieldset>
      )}
      {extraFields.map((field) => (
        <SchemaField
          key={field.name}
          field={field}
          value={values(field, extras)}
          errors={errorsOf(field.pointer)}
          onChange={(value) => setExtras((all) => ({ ...all, [field.name]: value }))}
        />
      ))}
      {admin && (
        <TextField
          id="field-owner"
          label="Owner (optional)"
          hint="An admin may request a sandbox for someone else: their object id."
          value={owner}
          onInput={setOwner}
          errors={errorsOf('/owner')}
          autocomplete="off"
        />
      )}
      <fieldset class={`field-group${errorsOf('/tags') ? ' field-error' : ''}`}>
        <legend>Tags (optional)</legend>
        <ErrorText id="field-tags" errors={errorsOf('/tags')} />
        {tags.map((tag, index) => (
          <div class="tag-row" key={index}>
            <label for={`tag-key-${index}`}>Name</label>
            <input
              id={index === 0 ? 'field-tags' : `tag-key-${index}`}
              value={tag.key}
              onInput={(event) => {
                const key = event.currentTarget.value;
                setTags((all) => all.map((t, i) => (i === index ? { ...t, key } : t)));
              }}
            />
            <label for={`tag-value-${index}`}>Value</label>
            <input
              id={`tag-value-${index}`}
              value={tag.value}
              onInput={(event) => {
                const value = event.currentTarget.value;
                setTags((all) => all.map((t, i) => (i === index ? { ...t, value } : t)));
              }}
            />
            <button
              type="button"
              class="button-secondary"
              onClick={() => setTags((all) => all.filter((_, i) => i !== index))}
            >
              Remove<span class="visually-hidden"> tag {index + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          class="button-secondary"
          onClick={() => setTags((all) => [...all, { key: '', value: '' }])}
        >
          Add a tag
        </button>
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Requesting…' : 'Request sandbox'}
        </button>
        <a href={href.sandboxes()}>Cancel</a>
      </div>
    </form>
  );
}

/** The element id a problem's pointer names. */
function idOf(pointer: string): string {
  if (pointer.startsWith('/tags')) return 'field-tags';
  return `field-${pointer.slice(1).split('/').join('-')}`;
}

function labelOf(pointer: string, ...fieldSets: FormField[][]): string {
  const field = fieldSets.flat().find((f) => f.pointer === pointer);
  if (field) return field.label;
  const own: Record<string, string> = {
    '/name': 'Name',
    '/location': 'Location',
    '/ttlHours': 'Lease',
    '/blueprint': 'Blueprint',
    '/tags': 'Tags',
    '/owner': 'Owner',
  };
  return own[pointer] ?? pointer;
}

function ErrorText(props: { id: string; errors: string[] | undefined }) {
  if (!props.errors) return null;
  return (
    <p id={`${props.id}-error`} class="error-text">
      <span class="visually-hidden">Error: </span>
      {props.errors.join(' ')}
    </p>
  );
}

function TextField(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  required?: boolean;
  inputMode?: 'numeric' | 'text';
  autocomplete?: string;
  errors: string[] | undefined;
  onInput: (value: string) => void;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.errors ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field${props.errors ? ' field-error' : ''}`}>
      <label for={props.id}>
        {props.label}
        {props.required && <span class="visually-hidden"> (required)</span>}
      </label>
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <ErrorText id={props.id} errors={props.errors} />
      <input
        id={props.id}
        type="text"
        value={props.value}
        inputMode={props.inputMode}
        autocomplete={props.autocomplete}
        spellcheck={false}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={props.errors ? 'true' : undefined}
        aria-describedby={described || undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

/** An input generated from a JSON Schema property. */
function SchemaField(props: {
  field: FormField;
  value: string | boolean;
  errors: string[] | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const { field } = props;
  const hint = [
    field.description ? field.description.replace(/([^.!?])$/, '$1.') : '',
    field.initial !== '' && field.kind !== 'checkbox' ? `Default: ${field.initial}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const described = [hint ? `${field.id}-hint` : '', props.errors ? `${field.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id: field.id,
    name: field.name,
    'aria-invalid': props.errors ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
    'aria-required': field.required ? ('true' as const) : undefined,
  };
  if (field.kind === 'checkbox') {
    return (
      <div class={`field choice${props.errors ? ' field-error' : ''}`}>
        <input
          {...common}
          type="checkbox"
          checked={props.value === true}
          onChange={(event) => props.onChange(event.currentTarget.checked)}
        />
        <label for={field.id}>{field.label}</label>
        {hint && (
          <p id={`${field.id}-hint`} class="hint">
            {hint}
          </p>
        )}
        <ErrorText id={field.id} errors={props.errors} />
      </div>
    );
  }
  return (
    <div class={`field${props.errors ? ' field-error' : ''}`}>
      <label for={field.id}>
        {field.label}
        {field.required ? <span class="visually-hidden"> (required)</span> : ' (optional)'}
      </label>
      {hint && (
        <p id={`${field.id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <ErrorText id={field.id} errors={props.errors} />
      {field.kind === 'select' ? (
        <select
          {...common}
          value={String(props.value)}
          onChange={(event) => props.onChange(event.currentTarget.value)}
        >
          {field.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          spellcheck={false}
          autocomplete="off"
          value={String(props.value)}
          onInput={(event) => props.onChange(event.currentTarget.value)}
        />
      )}
    </div>
  );
}
