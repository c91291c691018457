import { describe, expect, it } from 'vitest';
import { blobContent, encodeQueueMessage, outputValues } from '../../src/BindingIO.js';
import { decodeQueueMessage } from '../../src/QueueListener.js';

describe('outputValues', () => {
  it.each([
    ['a string', { string: 'hi' }, ['hi']],
    ['a JSON object', { json: '{"a":1}' }, ['{"a":1}']],
    ['a JSON array: one message each', { json: '[{"a":1},"two",3]' }, ['{"a":1}', 'two', '3']],
    ['an int', { int: 7 }, ['7']],
    ['nothing', undefined, []],
  ])('%s', (_name, data, values) => {
    expect(outputValues(data)).toEqual(values);
  });

  it('keeps bytes as bytes', () => {
    expect(outputValues({ bytes: new Uint8Array([1]) })).toEqual([Buffer.from([1])]);
  });
});

describe('blobContent', () => {
  it.each([
    [{ string: 'é' }, Buffer.from('é')],
    [{ json: '[1,2]' }, Buffer.from('[1,2]')],
    [{ bytes: new Uint8Array([9]) }, Buffer.from([9])],
  ])('%j', (data, bytes) => {
    expect(blobContent(data)).toEqual(bytes);
  });
});

describe('queue message encoding', () => {
  it.each([
    ['base64', 'hello', 'aGVsbG8='],
    ['none', 'hello', 'hello'],
  ] as const)('%s encodes and decodes', (encoding, text, wire) => {
    expect(encodeQueueMessage(text, encoding)).toBe(wire);
    expect(decodeQueueMessage(wire, encoding, 'id')).toBe(text);
  });

  it('rejects a message that is not base64, naming it', () => {
    expect(() => decodeQueueMessage('{"not":"base64"}', 'base64', 'm-1')).toThrow(
      `Message 'm-1' is not valid base64; set extensions.queues.messageEncoding to "none" for plain text.`,
    );
  });
});
