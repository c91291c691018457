/**
 * fast-check arbitraries from a JSON Schema (the subset `z.toJSONSchema` writes for the app's
 * request schemas): values that fit, and values that nearly fit, one thing wrong at a time, which
 * is where validation code is most likely to slip.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

/** Any JSON value, small, with keys that sometimes are the schema's own. */
export function anyJson(keys: readonly string[] = []): fc.Arbitrary<unknown> {
  const key =
    keys.length > 0
      ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 12 }))
      : fc.string();
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  })).value;
}

/** Strings that trip validators: empty, blank, control characters, long, odd Unicode, markup. */
export const awkwardString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\t\n',
    'a'.repeat(300),
    'x'.repeat(70_000),
    '../../etc/passwd',
    '%00',
    '<script>',
    "'; DROP TABLE x;--",
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '\ud800',
    'NaN',
    '__proto__',
    'constructor',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern, 'u'));
    } catch {
      // A pattern fast-check cannot generate from: plain strings within the bounds instead.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 30 });
}

function numberFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e6;
  return fc
    .oneof(
      fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    )
    .filter(
      (n) =>
        (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum) &&
        (schema.exclusiveMaximum === undefined || n < schema.exclusiveMaximum),
    );
}

/**
 * Values that fit `schema`. `overrides` replaces the arbitrary of a top-level property (a value
 * the schema cannot know, such as a name the test has seeded).
 *
 * @example
 * fc.sample(fitting({ type: 'object', properties: { ttlHours: { type: 'number', maximum: 10 } } }), 1);
 */
export function fitting(
  schema: JsonSchema,
  overrides: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fitting(s)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'number':
      return numberFor(schema);
    case 'integer':
      return numberFor(schema).map(Math.round);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? fitting(schema.items) : anyJson(), { maxLength: 4 });
    case 'object': {
      const properties = schema.properties ?? {};
      const names = Object.keys(properties);
      if (names.length === 0 && schema.additionalProperties !== false) {
        const values =
          typeof schema.additionalProperties === 'object' &&
          Object.keys(schema.additionalProperties).length > 0
            ? fitting(schema.additionalProperties)
            : anyJson();
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), values, { maxKeys: 4 });
      }
      const model = Object.fromEntries(
        names.map((n) => [n, overrides[n] ?? fitting(properties[n] as JsonSchema)]),
      );
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    default:
      return anyJson();
  }
}

/** Everything that can be wrong with a value of `schema`, one thing at a time. */
function wrongValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const wrongType = fc.constantFrom<unknown>(null, true, 0, -1, '1', [], {}, [1], 'true');
  switch (type) {
    case 'string':
      return fc.oneof(
        wrongType,
        awkwardString,
        fc.constant('x'.repeat((schema.maxLength ?? 256) + 1)),
      );
    case 'number':
    case 'integer':
      return fc.oneof(
        wrongType,
        fc.constantFrom(
          0,
          -0,
          -1,
          1e308,
          Number.MAX_SAFE_INTEGER + 2,
          5e-324,
          (schema.maximum ?? 1e6) + 1,
          (schema.minimum ?? schema.exclusiveMinimum ?? 0) - 1,
          '24',
        ),
      );
    case 'boolean':
      return fc.oneof(wrongType, fc.constantFrom('false', 0, 1, 'yes'));
    default:
      return fc.oneof(wrongType, anyJson());
  }
}

/**
 * Values that nearly fit `schema`: a fitting object with one change, a required property left
 * out, an unknown one added, one property of the wrong type or out of bounds, a prototype key,
 * or the whole body some other JSON.
 *
 * @example
 * fc.sample(nearlyFitting(z.toJSONSchema(extendRequestSchema)), 5);
 */
export function nearlyFitting(
  schema: JsonSchema,
  overrides: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const base = fitting(schema, overrides);
  if (schema.type !== 'object' || names.length === 0) {
    return fc.oneof(wrongValue(schema), anyJson(names));
  }
  const asObject = base.map((v) => ({ ...(v as Record<string, unknown>) }));
  return fc.oneof(
    // One required property left out.
    fc
      .tuple(asObject, fc.constantFrom(...(schema.required?.length ? schema.required : names)))
      .map(([v, n]) => {
        delete v[n];
        return v;
      }),
    // An unknown property beside the known ones.
    fc
      .tuple(asObject, fc.string({ minLength: 1, maxLength: 12 }), anyJson())
      .map(([v, k, x]) => (k in properties ? v : { ...v, [k]: x })),
    // One property wrong: of another type, out of its bounds, awkward.
    fc
      .constantFrom(...names)
      .chain((n) =>
        fc
          .tuple(asObject, wrongValue(properties[n] as JsonSchema))
          .map(([v, x]) => ({ ...v, [n]: x })),
      ),
    // A property name JSON.parse makes an own property and a careless merge does not.
    asObject.map((v) => {
      const rest = JSON.stringify(v).slice(1, -1);
      return JSON.parse(`{"__proto__":{"admin":true}${rest === '' ? '' : `,${rest}`}}`);
    }),
    // The property names in another case.
    asObject.map((v) =>
      Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), x])),
    ),
    // Not an object at all.
    fc.oneof(fc.array(base, { maxLength: 2 }), anyJson(names)),
  );
}
