// References: MicrosoftDocs/azure-docs `functions-bindings-storage-blob-trigger.md` (blob name
// patterns, receipts, poison blobs) and Azure/azure-webjobs-sdk `BlobTriggerMessage`.
import { describe, expect, it } from 'vitest';
import {
  blobReceiptName,
  blobTriggerMetadata,
  blobTriggerPoisonMessage,
  parseBlobPathPattern,
} from '../../src/BlobTriggerListener.js';

describe('parseBlobPathPattern', () => {
  it.each([
    ['samples/{name}', 'a.txt', { name: 'a.txt' }],
    ['samples/{name}', 'dir/a.txt', { name: 'dir/a.txt' }],
    ['samples/{name}.png', 'cat.png', { name: 'cat' }],
    ['samples/{name}.png', 'cat.jpg', undefined],
    ['samples/in/{year}/{file}', 'in/2024/x.csv', { year: '2024', file: 'x.csv' }],
    ['samples/in/{year}/{file}', 'out/2024/x.csv', undefined],
    ['samples/{{name}}', 'x', undefined],
    ['samples', 'anything/at.all', {}],
  ])('%s matches %s → %j', (path, blob, expected) => {
    if (path.includes('{{')) {
      expect(() => parseBlobPathPattern(path)).toThrow(
        "Invalid blob trigger path 'samples/{{name}}': bad parameter '{{name}'.",
      );
      return;
    }
    expect(parseBlobPathPattern(path).match(blob)).toEqual(expected);
  });

  it('narrows listing to the literal prefix', () => {
    expect(parseBlobPathPattern('samples/in/{name}').prefix).toBe('in/');
  });

  it.each([
    [
      '{container}/{name}',
      "Invalid blob trigger path '{container}/{name}': the container name must be literal.",
    ],
    ['samples/{name', "Invalid blob trigger path 'samples/{name': unclosed '{'."],
    [
      'samples/{a}/{a}',
      "Invalid blob trigger path 'samples/{a}/{a}': parameter '{a}' appears twice.",
    ],
  ])('refuses %s', (path, message) => {
    expect(() => parseBlobPathPattern(path)).toThrow(message);
  });
});

describe('blobTriggerPoisonMessage', () => {
  it("is the real host's BlobTriggerMessage", () => {
    expect(JSON.parse(blobTriggerPoisonMessage('resize', 'images', 'a/b.png', '"0x1"'))).toEqual({
      Type: 'BlobTrigger',
      FunctionId: 'Host.Functions.resize',
      BlobType: 'BlockBlob',
      ContainerName: 'images',
      BlobName: 'a/b.png',
      ETag: '"0x1"',
    });
  });
});

describe('blobReceiptName', () => {
  it('names the function, the version and the blob, as the real host lays receipts out', () => {
    expect(blobReceiptName('my-host', 'resize', '"0x8D1"', 'images', 'a/b.png')).toBe(
      'blobreceipts/my-host/Host.Functions.resize/0x8D1/images/a/b.png',
    );
  });
});

describe('blobTriggerMetadata', () => {
  it('carries the parameters, BlobTrigger, Uri, Properties and Metadata', () => {
    // Act
    const metadata = blobTriggerMetadata(
      {
        BlobTrigger: 'images/a.png',
        Uri: 'http://127.0.0.1:1/devstoreaccount1/images/a.png',
        Properties: { Length: 3 },
        Metadata: { k: 'v' },
      },
      { name: 'a' },
    );
    // Assess
    expect(metadata).toMatchObject({
      name: { string: 'a' },
      BlobTrigger: { string: 'images/a.png' },
      Uri: { string: 'http://127.0.0.1:1/devstoreaccount1/images/a.png' },
      Properties: { json: '{"Length":3}' },
      Metadata: { json: '{"k":"v"}' },
    });
  });
});
