import { describe, expect, it } from 'vitest';
import { blueprints } from '../../../../services/provisioning/blueprints/index.js';
import { checkPowerDefaults } from '../../../../services/provisioning/checkPowerDefaults.js';

describe('checkPowerDefaults', () => {
  it('accepts a default for a known blueprint', () => {
    expect(() => checkPowerDefaults({ vm: 'off=(M-F,19)' }, blueprints)).not.toThrow();
  });

  it('names a setting for a blueprint that does not exist', () => {
    expect(() => checkPowerDefaults({ vms: 'off=(M-F,19)' }, blueprints)).toThrow(
      'Invalid app settings: POWER_SCHEDULE_DEFAULT_VMS names no blueprint; known: empty, storage, vm, webapp, mysql',
    );
  });
});
