import { describe, expect, it } from 'vitest';
import { layoutBlueprint } from '../../../../../services/provisioning/blueprints/Blueprint.js';
import { blueprints } from '../../../../../services/provisioning/blueprints/index.js';
import { planBlueprint } from '../../../../../services/provisioning/blueprints/planBlueprint.js';
import { resourceIdOf } from '../../../../../services/provisioning/blueprints/ResourceSpec.js';
import { TEST_SSH_KEY, TEST_SUBSCRIPTION } from '../../../../support/provision/fixtures.js';

const context = (parameters: unknown) => ({
  subscriptionId: TEST_SUBSCRIPTION,
  sandbox: 'Ana_Sandbox.(1)',
  location: 'westeurope',
  parameters,
  secret: () => 'generated-secret',
});

describe('built-in blueprints', () => {
  const cases = [
    { blueprint: 'empty', parameters: {}, waves: [] },
    { blueprint: 'storage', parameters: {}, waves: [['account'], ['blobService'], ['container']] },
    {
      blueprint: 'vm',
      parameters: { sshPublicKey: TEST_SSH_KEY },
      waves: [['vnet'], ['nic'], ['vm']],
    },
    { blueprint: 'webapp', parameters: {}, waves: [['plan'], ['site']] },
    { blueprint: 'mysql', parameters: {}, waves: [['server'], ['database']] },
  ];
  it.each(cases)(
    '$blueprint lays out resources in waves $waves',
    ({ blueprint, parameters, waves }) => {
      // Prepare
      const definition = blueprints.get(blueprint)!;

      // Act
      const layout = layoutBlueprint(definition, context(parameters));

      // Assess
      expect(planBlueprint(blueprint, layout.resources).map((w) => w.map((r) => r.key))).toEqual(
        waves,
      );
    },
  );

  const badParameters = [
    { blueprint: 'empty', parameters: { size: 1 }, rule: 'parameters.size' },
    {
      blueprint: 'storage',
      parameters: { containerName: 'No_Caps' },
      rule: 'parameters.containerName',
    },
    { blueprint: 'vm', parameters: {}, rule: 'parameters.sshPublicKey' },
    { blueprint: 'vm', parameters: { sshPublicKey: 'not a key' }, rule: 'parameters.sshPublicKey' },
    {
      blueprint: 'vm',
      parameters: { sshPublicKey: TEST_SSH_KEY, adminUsername: 'root' },
      rule: 'parameters.adminUsername',
    },
    { blueprint: 'webapp', parameters: { sku: 'Y1' }, rule: 'parameters.sku' },
    { blueprint: 'mysql', parameters: { databaseName: '1db' }, rule: 'parameters.databaseName' },
  ];
  it.each(badParameters)(
    '$blueprint rejects $parameters naming $rule',
    ({ blueprint, parameters, rule }) => {
      // Act
      const act = () => layoutBlueprint(blueprints.get(blueprint)!, context(parameters));

      // Assess
      expect(act).toThrow(
        expect.objectContaining({
          name: 'ValidationError',
          violations: [expect.objectContaining({ rule })],
        }),
      );
    },
  );

  it('storage puts the container in the account it creates', () => {
    // Act
    const [account, , container] = layoutBlueprint(
      blueprints.get('storage')!,
      context({ containerName: 'logs' }),
    ).resources;

    // Assess
    expect(account?.name).toMatch(/^[a-z0-9]{3,24}$/);
    expect(container?.name).toBe(`${account?.name}/default/logs`);
  });

  it('vm disables passwords, uses the SSH key and wires the NIC to the subnet', () => {
    // Act
    const [vnet, nic, vm] = layoutBlueprint(
      blueprints.get('vm')!,
      context({ sshPublicKey: TEST_SSH_KEY }),
    ).resources;

    // Assess
    const properties = vm?.body.properties as {
      osProfile: {
        linuxConfiguration: {
          disablePasswordAuthentication: boolean;
          ssh: { publicKeys: { keyData: string }[] };
        };
      };
      networkProfile: { networkInterfaces: { id: string }[] };
    };
    expect(properties.osProfile.linuxConfiguration.disablePasswordAuthentication).toBe(true);
    expect(properties.osProfile.linuxConfiguration.ssh.publicKeys[0]?.keyData).toBe(TEST_SSH_KEY);
    expect(properties.networkProfile.networkInterfaces[0]?.id).toBe(
      resourceIdOf(TEST_SUBSCRIPTION, 'Ana_Sandbox.(1)', nic!),
    );
    expect(JSON.stringify(nic?.body)).toContain(
      `${resourceIdOf(TEST_SUBSCRIPTION, 'Ana_Sandbox.(1)', vnet!)}/subnets/default`,
    );
  });

  it('mysql takes its administrator password from the injected secret', () => {
    // Act
    const [server] = layoutBlueprint(blueprints.get('mysql')!, context({})).resources;

    // Assess
    expect(server?.body.properties).toMatchObject({
      administratorLoginPassword: 'generated-secret',
    });
  });
});
