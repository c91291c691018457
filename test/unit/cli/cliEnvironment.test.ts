import { describe, expect, it } from 'vitest';
import { readCliEnvironment } from '../../../cli/cliEnvironment.js';

describe('readCliEnvironment', () => {
  it('keeps the sign-in under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(readCliEnvironment({}, '/home/ana', '/w').configDir).toBe('/home/ana/.config/sandbox');
    expect(readCliEnvironment({ XDG_CONFIG_HOME: '/xdg' }, '/home/ana', '/w').configDir).toBe(
      '/xdg/sandbox',
    );
    expect(
      readCliEnvironment({ SANDBOX_CONFIG_DIR: '/tmp/s', XDG_CONFIG_HOME: '/xdg' }, '/h', '/w')
        .configDir,
    ).toBe('/tmp/s');
  });

  it('ignores settings that are set but blank', () => {
    expect(
      readCliEnvironment({ SANDBOX_ENDPOINT: ' ', SANDBOX_TOKEN: '' }, '/home/ana', '/w'),
    ).toEqual({ configDir: '/home/ana/.config/sandbox', cwd: '/w' });
  });
});
