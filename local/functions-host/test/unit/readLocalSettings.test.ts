import { describe, expect, it } from 'vitest';
import { isFunctionDisabled, mergeSettings } from '../../src/readLocalSettings.js';

describe('mergeSettings', () => {
  it('adds local values but lets variables already set win, and names the skipped ones', () => {
    // Prepare
    const env: Record<string, string | undefined> = { A: 'from env' };
    // Act
    const skipped = mergeSettings(env, { A: 'from file', B: 'from file' });
    // Assess
    expect(env).toEqual({ A: 'from env', B: 'from file' });
    expect(skipped).toEqual(['A']);
  });
});

describe('isFunctionDisabled', () => {
  it.each([
    [{ 'AzureWebJobs.send.Disabled': 'true' }, true],
    [{ 'AzureWebJobs.Send.Disabled': 'True' }, true],
    [{ AzureWebJobs__send__Disabled: '1' }, true],
    [{ 'AzureWebJobs.send.Disabled': 'false' }, false],
    [{ 'AzureWebJobs.other.Disabled': 'true' }, false],
    [{}, false],
  ])('%j → %s', (env, disabled) => {
    expect(isFunctionDisabled('send', env)).toBe(disabled);
  });
});
