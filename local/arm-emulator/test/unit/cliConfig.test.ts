import { describe, expect, it } from 'vitest';
import { parseCliConfig } from '../../src/cliConfig.js';

describe('parseCliConfig', () => {
  it('defaults the ports and leaves throttling on', () => {
    expect(parseCliConfig([], {})).toEqual({
      port: 8443,
      identityPort: 8444,
      entraPort: 8445,
      host: '127.0.0.1',
    });
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

  it('reads the Entra port, the directory and role settings as JSON', () => {
    const config = parseCliConfig(
      [
        '--entra-port',
        '0',
        '--role-assignments',
        '[{"principalId":"00000000-0000-4000-8000-0000000b0001","role":"Contributor"}]',
      ],
      {
        ARM_EMULATOR_ENTRA_DIRECTORY:
          '{"users":[{"username":"ops@sandbox.test","roles":["Sandbox.Admin"]}]}',
        ARM_EMULATOR_ROLE_DEFINITIONS:
          '[{"roleName":"Reader of groups","permissions":[{"actions":["*/read"]}]}]',
      },
    );
    expect(config).toMatchObject({
      entraPort: 0,
      entra: { users: [{ username: 'ops@sandbox.test', roles: ['Sandbox.Admin'] }] },
      roleDefinitions: [{ roleName: 'Reader of groups' }],
      roleAssignments: [
        { principalId: '00000000-0000-4000-8000-0000000b0001', role: 'Contributor' },
      ],
    });
  });

  it('names a role setting that is not JSON', () => {
    expect(() => parseCliConfig(['--role-assignments', '[{'], {})).toThrow(
      'Invalid emulator setting --role-assignments / ARM_EMULATOR_ROLE_ASSIGNMENTS: must be JSON, for example [{"principalId":"…","role":"Contributor"}]',
    );
  });

  it('refuses unknown fields in the directory', () => {
    expect(() => parseCliConfig(['--entra-directory', '{"groups":[]}'], {})).toThrow(
      /^Invalid emulator setting --entra-directory \/ ARM_EMULATOR_ENTRA_DIRECTORY: /,
    );
  });

  it('names the bad setting', () => {
    expect(() => parseCliConfig([], { ARM_EMULATOR_TIME_SCALE: '-1' })).toThrow(
      /^Invalid emulator setting --time-scale \/ ARM_EMULATOR_TIME_SCALE: /,
    );
  });
  it('maps every storage account to one connection string given alone', () => {
    expect(
      parseCliConfig([], { ARM_EMULATOR_STORAGE_CONNECTIONS: 'UseDevelopmentStorage=true' })
        .storageConnections,
    ).toEqual({ '*': 'UseDevelopmentStorage=true' });
  });

  it('reads storage connections per account name, and the event delivery settings', () => {
    // Act
    const config = parseCliConfig(
      [
        '--storage-connections',
        '{"devstoreaccount1":"AccountName=devstoreaccount1;"}',
        '--event-delivery',
        '{"duplicateRate":0.5,"seed":3}',
      ],
      {},
    );
    // Assess
    expect(config.storageConnections).toEqual({
      devstoreaccount1: 'AccountName=devstoreaccount1;',
    });
    expect(config.eventDelivery).toEqual({
      seed: 3,
      duplicateRate: 0.5,
      reorderRate: 0,
      reorderWindowMs: 1000,
    });
  });

  it('refuses storage connections that are neither a string nor a JSON object, without echoing them', () => {
    expect(() => parseCliConfig(['--storage-connections', '{"a":'], {})).toThrow(
      'Invalid emulator setting --storage-connections / ARM_EMULATOR_STORAGE_CONNECTIONS: must be a connection string, or JSON mapping account names (or *) to connection strings',
    );
  });
});
