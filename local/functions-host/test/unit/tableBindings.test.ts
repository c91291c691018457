// References: MicrosoftDocs/azure-docs `functions-bindings-storage-table-output.md` (an object or
// an array of objects, each with PartitionKey and RowKey, or keys set on the binding) and
// `functions-bindings-storage-table-input.md` (entities with PartitionKey, RowKey, Timestamp).
import { describe, expect, it } from 'vitest';
import { entityToJson, tableEntities } from '../../src/BindingIO.js';

describe('tableEntities', () => {
  it('takes one object as one entity', () => {
    expect(tableEntities({ json: '{"PartitionKey":"p","RowKey":"1","Name":"a"}' }, {})).toEqual([
      { partitionKey: 'p', rowKey: '1', Name: 'a' },
    ]);
  });

  it('takes an array as many entities, keys from the binding where the entity has none', () => {
    expect(
      tableEntities(
        { json: '[{"RowKey":"1"},{"RowKey":"2","PartitionKey":"own"}]' },
        {
          partitionKey: 'bound',
        },
      ),
    ).toEqual([
      { partitionKey: 'bound', rowKey: '1' },
      { partitionKey: 'own', rowKey: '2' },
    ]);
  });

  it('drops Timestamp and ETag, which the service sets', () => {
    expect(
      tableEntities({ json: '{"PartitionKey":"p","RowKey":"1","Timestamp":"t","ETag":"e"}' }, {}),
    ).toEqual([{ partitionKey: 'p', rowKey: '1' }]);
  });

  it.each([
    ['{"RowKey":"1"}', 'PartitionKey must be specified for the table output binding.'],
    ['{"PartitionKey":"p"}', 'RowKey must be specified for the table output binding.'],
    ['[1]', 'A table output binding takes an object or an array of objects.'],
  ])('refuses %s', (json, message) => {
    expect(() => tableEntities({ json }, {})).toThrow(message);
  });

  it('writes nothing for no value', () => {
    expect(tableEntities(undefined, {})).toEqual([]);
  });
});

describe('entityToJson', () => {
  it('gives PascalCase keys and the properties, without the etag', () => {
    expect(
      entityToJson({
        partitionKey: 'p',
        rowKey: '1',
        timestamp: '2024-01-01T00:00:00Z',
        etag: 'W/"x"',
        'odata.metadata': 'm',
        Name: 'a',
      }),
    ).toEqual({ PartitionKey: 'p', RowKey: '1', Timestamp: '2024-01-01T00:00:00Z', Name: 'a' });
  });
});
