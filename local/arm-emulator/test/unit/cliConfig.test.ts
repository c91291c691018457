import { describe, expect, it } from 'vitest';
import { parseCliConfig } from '../../src/cliConfig.js';

describe('parseCliConfig', () => {
  it('defaults the ports and leaves throttling on', () => {
    expect(parseCliConfig([], {})).toEqual({ port: 8443, identityPort: 8444, host: '127.0.0.1' });
  });

  it('prefers flags over env', () => {
    const config = parseCliConfig(['--port', '0'], {
      ARM_EMULATOR_PORT: '9000',
      ARM_EMULATOR_IDENTITY_PORT: '0',
    });
    expect(config).toMatchObject({ port: 0, identityPort: 0 });
  });

  it('reads subscriptions, faults, time scale, throttling and durations', () => {
    const config = parseCliConfig(
      [
        '--subscriptions',
        'a, b',
        '--faults',
        '{"status503Rate":0.1}',
        '--time-scale',
        '0.01',
        '--throttling',
        'off',
        '--durations',
        '{"vmCreate":5000}',
      ],
      {},
    );
    expect(config).toMatchObject({
      subscriptions: ['a', 'b'],
      timeScale: 0.01,
      throttling: false,
      durations: { vmCreate: 5000 },
    });
    expect(config.faults).toMatchObject({ status503Rate: 0.1, seed: 1 });
  });

  it('refuses durations for unknown operations', () => {
    expect(() => parseCliConfig(['--durations', '{"vmCreat":1}'], {})).toThrow(
      /^Invalid emulator setting --durations \/ ARM_EMULATOR_DURATIONS: /,
    );
  });

  it('names the bad setting', () => {
    expect(() => parseCliConfig([], { ARM_EMULATOR_TIME_SCALE: '-1' })).toThrow(
      /^Invalid emulator setting --time-scale \/ ARM_EMULATOR_TIME_SCALE: /,
    );
  });
});
