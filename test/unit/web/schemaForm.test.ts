import { describe, expect, it } from 'vitest';
import { blueprints } from '../../../services/provisioning/blueprints/index.js';
import { describeBlueprints } from '../../../services/provisioning/describeBlueprints.js';
import type { JsonSchema } from '../../../web/src/apiTypes.js';
import { fieldsOf, formValues } from '../../../web/src/schemaForm.js';

const schemaOf = (name: string) =>
  describeBlueprints(blueprints).find((b) => b.name === name)!.parameters as JsonSchema;

describe('fieldsOf', () => {
  it('makes a form of a blueprint’s parameters: choices as selects, defaults filled in', () => {
    expect(fieldsOf(schemaOf('storage'), ['parameters'])).toEqual([
      {
        name: 'containerName',
        pointer: '/parameters/containerName',
        id: 'field-parameters-containerName',
        label: 'Container name',
        kind: 'text',
        required: false,
        initial: 'data',
        description:
          '3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric',
        pattern: '^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$',
      },
      {
        name: 'sku',
        pointer: '/parameters/sku',
        id: 'field-parameters-sku',
        label: 'SKU',
        kind: 'select',
        required: false,
        options: ['Standard_LRS', 'Standard_ZRS', 'Standard_GRS'],
        initial: 'Standard_LRS',
      },
    ]);
  });

  it('marks what must be given', () => {
    const ssh = fieldsOf(schemaOf('vm'), ['parameters']).find((f) => f.name === 'sshPublicKey');
    expect(ssh).toMatchObject({ required: true, initial: '', maxLength: 8192 });
  });

  it('reads numbers and booleans', () => {
    const fields = fieldsOf({
      properties: {
        ttl: { type: 'number', minimum: 1, maximum: 9 },
        on: { type: 'boolean', default: true },
      },
    });
    expect(fields.map((f) => [f.kind, f.initial, f.min, f.max])).toEqual([
      ['number', '', 1, 9],
      ['checkbox', true, undefined, undefined],
    ]);
  });
});

describe('formValues', () => {
  const fields = fieldsOf({
    properties: {
      name: { type: 'string' },
      size: { type: 'number' },
      on: { type: 'boolean' },
    },
  });

  it('leaves empty fields out so the API’s defaults apply, and sends numbers as numbers', () => {
    expect(formValues(fields, { name: '  ', size: '3', on: false })).toEqual({
      size: 3,
      on: false,
    });
  });

  it('sends a number that does not read as one as typed, for the API to explain', () => {
    expect(formValues(fields, { size: 'three' })).toEqual({ size: 'three' });
  });
});
