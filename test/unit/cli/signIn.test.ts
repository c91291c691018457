import { describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../cli/localRuntime.js';
import { isLocalSignIn, resourceScope } from '../../../cli/signIn.js';

describe('resourceScope', () => {
  it.each([
    [
      'api://66666666-7777-4888-8999-000000000000/access_as_user',
      'api://66666666-7777-4888-8999-000000000000/.default',
    ],
    ['https://sandboxes.contoso.com/access_as_user', 'https://sandboxes.contoso.com/.default'],
    [
      'api://66666666-7777-4888-8999-000000000000',
      'api://66666666-7777-4888-8999-000000000000/.default',
    ],
  ])('asks the Azure CLI for %s as %s', (scope, expected) => {
    expect(resourceScope(scope)).toBe(expected);
  });
});

describe('isLocalSignIn', () => {
  const runtime = {
    entra: { authority: 'https://127.0.0.1:8445/00000000-0000-4000-8000-0000000e0001' },
  } as LocalRuntime;
  const target = (authority: string) => ({ tenantId: 't', clientId: 'c', scope: 's', authority });

  it('is local when the API signs in through the running stack’s Entra ID', () => {
    expect(
      isLocalSignIn(
        target('https://127.0.0.1:8445/00000000-0000-4000-8000-0000000E0001/'),
        runtime,
      ),
    ).toBe(true);
  });

  it('is not for Entra ID in Azure, nor without a local stack', () => {
    expect(
      isLocalSignIn(target('https://login.microsoftonline.com/contoso.onmicrosoft.com'), runtime),
    ).toBe(false);
    expect(isLocalSignIn(target(runtime.entra.authority), undefined)).toBe(false);
  });
});
