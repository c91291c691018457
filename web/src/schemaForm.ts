/**
 * Form fields from a JSON Schema (a blueprint's `parameters`, or the sandbox request's own
 * fields), and the values a form holds turned back into what the API takes. Pure, so it is
 * unit-tested.
 */
import type { JsonSchema } from './apiTypes.js';
import { humanize } from './format.js';

/** One input of a generated form. */
export interface FormField {
  /** The property's name. */
  name: string;
  /** Where the API's problems point for it: `/parameters/containerName`. */
  pointer: string;
  /** The element id: `field-parameters-containerName`. */
  id: string;
  label: string;
  kind: 'select' | 'text' | 'number' | 'checkbox';
  required: boolean;
  options?: string[];
  /** Shown in the input at first. */
  initial: string | boolean;
  description?: string;
  pattern?: string;
  min?: number;
  max?: number;
  maxLength?: number;
}

const typeOf = (schema: JsonSchema) =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

/**
 * The fields of an object schema, in its properties' order, each with its pointer under `prefix`.
 *
 * @example
 * fieldsOf({ properties: { sku: { type: 'string', enum: ['B1', 'S1'], default: 'B1' } } }, ['parameters']);
 * // [{ name: 'sku', pointer: '/parameters/sku', kind: 'select', options: ['B1', 'S1'], initial: 'B1', … }]
 */
export function fieldsOf(schema: JsonSchema, prefix: readonly string[] = []): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const path = [...prefix, name];
    const type = typeOf(property);
    const kind: FormField['kind'] = property.enum
      ? 'select'
      : type === 'boolean'
        ? 'checkbox'
        : type === 'number' || type === 'integer'
          ? 'number'
          : 'text';
    const fallback = property.default;
    return {
      name,
      pointer: `/${path.join('/')}`,
      id: `field-${path.join('-')}`,
      label: property.title ?? humanize(name),
      kind,
      required: required.has(name),
      ...(property.enum ? { options: property.enum.map(String) } : {}),
      initial:
        kind === 'checkbox' ? fallback === true : fallback === undefined ? '' : String(fallback),
      ...(property.description ? { description: property.description } : {}),
      ...(property.pattern ? { pattern: property.pattern } : {}),
      ...(property.minimum !== undefined || property.exclusiveMinimum !== undefined
        ? { min: property.minimum ?? property.exclusiveMinimum }
        : {}),
      ...(property.maximum !== undefined ? { max: property.maximum } : {}),
      ...(property.maxLength !== undefined ? { maxLength: property.maxLength } : {}),
    };
  });
}

/**
 * What the API takes from a form's values: empty optional fields left out (so the API's defaults
 * apply), numbers as numbers, checkboxes as booleans. A number that does not read as one is sent
 * as typed, for the API to say what is wrong with it.
 *
 * @example
 * formValues(fields, { containerName: '', sku: 'Standard_ZRS' }); // { sku: 'Standard_ZRS' }
 */
export function formValues(
  fields: readonly FormField[],
  values: Readonly<Record<string, string | boolean>>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'checkbox') {
      if (value !== undefined) result[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') continue;
    result[field.name] =
      field.kind === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return result;
}
