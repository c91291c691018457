import { describe, expect, it } from 'vitest';
import { applyJobHostOverrides, toHostConfig } from '../../src/readHostConfig.js';

describe('applyJobHostOverrides', () => {
  it('replaces host.json values from AzureFunctionsJobHost__ settings, ignoring case', () => {
    // Prepare
    const json = { extensions: { queues: { batchSize: 16 } } };
    // Act
    const result = applyJobHostOverrides(json, {
      AzureFunctionsJobHost__extensions__queues__BATCHSIZE: '4',
      azurefunctionsjobhost__logging__logLevel__default: 'Debug',
      Unrelated: 'x',
    });
    // Assess
    expect(result).toEqual({
      extensions: { queues: { batchSize: '4' } },
      logging: { logLevel: { default: 'Debug' } },
    });
    expect(json.extensions.queues.batchSize).toBe(16);
  });
});

describe('toHostConfig', () => {
  it('applies the documented defaults', () => {
    expect(toHostConfig({}, 2)).toMatchObject({
      routePrefix: 'api',
      queues: {
        maxPollingInterval: 60_000,
        visibilityTimeout: 0,
        batchSize: 16,
        newBatchThreshold: 16,
        maxDequeueCount: 5,
        messageEncoding: 'base64',
      },
      functionTimeout: undefined,
    });
  });

  it('reads host.json values, durations and overrides alike', () => {
    // Act
    const config = toHostConfig(
      {
        functionTimeout: '00:10:00',
        extensions: {
          http: { routePrefix: '/v1/' },
          queues: {
            maxPollingInterval: '00:00:02',
            visibilityTimeout: '00:00:10',
            batchSize: '8',
            messageEncoding: 'None',
          },
        },
      },
      4,
    );
    // Assess
    expect(config.routePrefix).toBe('v1');
    expect(config.functionTimeout).toBe(600_000);
    expect(config.queues).toEqual({
      maxPollingInterval: 2000,
      visibilityTimeout: 10_000,
      batchSize: 8,
      newBatchThreshold: 16,
      maxDequeueCount: 5,
      messageEncoding: 'none',
    });
  });

  it('allows an empty route prefix', () => {
    expect(toHostConfig({ extensions: { http: { routePrefix: '' } } }, 1).routePrefix).toBe('');
  });

  it('rejects an unknown message encoding', () => {
    expect(() => toHostConfig({ extensions: { queues: { messageEncoding: 'utf8' } } }, 1)).toThrow(
      'extensions.queues.messageEncoding must be "base64" or "none", not "utf8".',
    );
  });
});
