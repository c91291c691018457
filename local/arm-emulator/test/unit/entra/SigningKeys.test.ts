import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSigningKey, SigningKeys } from '../../../src/entra/SigningKeys.js';

const initial = [createSigningKey(), createSigningKey()];
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

// Entra publishes RS256 keys as JWKs with their certificate (`x5c`) and its SHA-1 thumbprint as
// `kid` and `x5t`, and rolls them over by publishing more than one (Microsoft identity platform,
// "Signing key rollover"): verifiers pick the key by `kid`.
describe('SigningKeys', () => {
  it('signs RS256 with the newest key, verifiable with its published JWK', () => {
    // Prepare
    const keys = new SigningKeys(initial);
    // Act
    const token = keys.sign({ sub: 'x' });
    const [head, body, signature] = token.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(head, 'base64url').toString());
    const jwk = keys.jwks().keys.find((key) => key.kid === header.kid);
    // Assess
    expect(header).toEqual({
      typ: 'JWT',
      alg: 'RS256',
      x5t: initial[1]?.kid,
      kid: initial[1]?.kid,
    });
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: jwk?.n, e: jwk?.e }, format: 'jwk' });
    expect(
      verify(
        'sha256',
        Buffer.from(`${head}.${body}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('publishes each key with its certificate, whose SHA-1 thumbprint is the kid', () => {
    const [jwk] = new SigningKeys(initial).jwks().keys;
    const thumbprint = createHash('sha1')
      .update(Buffer.from(jwk?.x5c[0] ?? '', 'base64'))
      .digest('base64url');
    expect(jwk).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      e: 'AQAB',
      kid: thumbprint,
      x5t: thumbprint,
    });
  });

  it('keeps verifying tokens of the previous key after one rotation, and not after two', () => {
    // Prepare
    const keys = new SigningKeys(initial);
    const before = keys.sign({ sub: 'x' });
    // Act
    keys.rotate();
    const afterOne = keys.verify(before);
    const rotated = keys.sign({ sub: 'x' });
    keys.rotate();
    // Assess
    expect(afterOne.ok).toBe(true);
    expect(keys.verify(before)).toEqual({ ok: false, reason: 'unknownKey' });
    expect(keys.verify(rotated).ok).toBe(true);
    expect(keys.kids()).toHaveLength(2);
  });

  it('goes back to the initial keys on reset', () => {
    const keys = new SigningKeys(initial);
    keys.rotate();
    keys.reset();
    expect(keys.kids()).toEqual(initial.map((key) => key.kid));
  });

  it('creates the tenant key file once, and every caller racing for it reads the same keys', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'signing-keys-'));
    dirs.push(dir);
    // Act
    const [a, b] = await Promise.all([SigningKeys.ensure(dir), SigningKeys.ensure(dir)]);
    // Assess
    expect(a.map((k) => k.kid)).toEqual(b.map((k) => k.kid));
    expect(
      JSON.parse(await readFile(join(dir, 'token-signing-keys.json'), 'utf8')).keys,
    ).toHaveLength(2);
  });
});
