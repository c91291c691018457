import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

/** One RS256 signing key as stored: PEM private key and its self-signed certificate. */
export interface SigningKeyMaterial {
  /** Entra's key id: the certificate's SHA-1 thumbprint, base64url (also its `x5t`). */
  kid: string;
  privateKey: string;
  certificate: string;
}

interface LoadedKey extends SigningKeyMaterial {
  private: KeyObject;
  public: KeyObject;
  /** The certificate, DER, base64: the JWKS `x5c` entry. */
  der: string;
}

export interface JsonWebKey {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
}

/** Why a token was not accepted. */
export type TokenRejection = 'malformed' | 'algorithm' | 'unknownKey' | 'signature';

export type VerifiedToken =
  | { ok: true; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { ok: false; reason: TokenRejection };

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Creates an RSA-2048 signing key with a self-signed certificate, as Entra publishes its keys
 * (`CN=accounts.accesscontrol.windows.net`), and its thumbprint as key id.
 */
export function createSigningKey(): SigningKeyMaterial {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + 5 * 365 * 24 * 3600_000);
  const name = [{ name: 'commonName', value: 'accounts.accesscontrol.windows.net' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  // Signed by node's crypto: forge's JavaScript RSA takes a noticeable fraction of a second.
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption as string;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption as string;
  const { getTBSCertificate } = forge.pki as unknown as {
    getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1;
  };
  const tbs = Buffer.from(forge.asn1.toDer(getTBSCertificate(cert)).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, privateKey).toString('binary');
  const certificate = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    kid: createHash('sha1').update(der).digest('base64url'),
    privateKey: pem,
    certificate,
  };
}

function load(material: SigningKeyMaterial): LoadedKey {
  const privateKey = createPrivateKey(material.privateKey);
  const der = Buffer.from(
    material.certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''),
    'base64',
  );
  return {
    ...material,
    private: privateKey,
    public: createPublicKey(privateKey),
    der: der.toString('base64'),
  };
}

const FILE_NAME = 'token-signing-keys.json';
const VERIFIED_KEPT = 256;

/**
 * The tenant's published signing keys, kept next to the emulator's CA so that every emulator
 * using the same certificate directory (all of a test run's, or `npm start`'s across restarts)
 * signs and accepts the same tokens, like one Entra tenant in front of many ARM endpoints.
 * Created once, race-free across processes.
 *
 * @example
 * const keys = new SigningKeys(await SigningKeys.ensure('.local/certs'));
 */
async function ensureKeyFile(dir: string): Promise<SigningKeyMaterial[]> {
  const path = join(dir, FILE_NAME);
  try {
    return parseKeyFile(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(
    temporary,
    JSON.stringify({ version: 1, keys: [createSigningKey(), createSigningKey()] }),
    { mode: 0o600 },
  );
  try {
    // link() fails when the file exists: the first process to get here wins, the others read it.
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return parseKeyFile(await readFile(path, 'utf8'), path);
}

function parseKeyFile(text: string, path: string): SigningKeyMaterial[] {
  const parsed = JSON.parse(text) as { version?: number; keys?: SigningKeyMaterial[] };
  if (parsed.version !== 1 || !Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw new Error(
      `Signing key file '${path}' is not in the expected format; delete it to start over.`,
    );
  }
  return parsed.keys;
}

/**
 * The token service's RS256 keys: the JWKS publishes two (the signing key and the one before it),
 * tokens are signed with the newest and verified by `kid`. `rotate()` signs with a new key from
 * then on and drops the oldest, so tokens signed before one rotation still verify, and a verifier
 * holding a cached JWKS meets a `kid` it must fetch.
 */
export class SigningKeys {
  private keys: LoadedKey[];
  /** Tokens already verified, by their text: clients send the same one many times. */
  private readonly verified = new Map<string, VerifiedToken & { ok: true }>();

  constructor(
    private readonly initial: SigningKeyMaterial[],
    private readonly changed: () => void = () => {},
  ) {
    this.keys = initial.map(load);
  }

  static ensure = ensureKeyFile;

  get activeKid(): string {
    return (this.keys[this.keys.length - 1] as LoadedKey).kid;
  }

  kids(): string[] {
    return this.keys.map((key) => key.kid);
  }

  /** Signs a JWT with the active key. */
  sign(claims: Record<string, unknown>): string {
    const key = this.keys[this.keys.length - 1] as LoadedKey;
    const unsigned = `${encode({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid })}.${encode(claims)}`;
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key.private).toString('base64url')}`;
  }

  /** Checks a JWT's form, algorithm (RS256 only) and signature against the published keys. */
  verify(token: string): VerifiedToken {
    const known = this.verified.get(token);
    if (known && this.keys.some((key) => key.kid === known.header.kid)) return known;
    const result = this.verifySignature(token);
    if (result.ok) {
      if (this.verified.size >= VERIFIED_KEPT) {
        this.verified.delete(this.verified.keys().next().value as string);
      }
      this.verified.set(token, result);
    }
    return result;
  }

  private verifySignature(token: string): VerifiedToken {
    const parts = token.split('.');
    const [head, body, signature] = parts;
    if (parts.length !== 3 || !head || !body || !signature)
      return { ok: false, reason: 'malformed' };
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      header === null ||
      typeof header !== 'object' ||
      claims === null ||
      typeof claims !== 'object'
    )
      return { ok: false, reason: 'malformed' };
    if (header.alg !== 'RS256') return { ok: false, reason: 'algorithm' };
    const key = this.keys.find((candidate) => candidate.kid === header.kid);
    if (!key) return { ok: false, reason: 'unknownKey' };
    const valid = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      key.public,
      Buffer.from(signature, 'base64url'),
    );
    return valid ? { ok: true, header, claims } : { ok: false, reason: 'signature' };
  }

  /** The JWKS document: `{ keys: [...] }`, oldest first. */
  jwks(): { keys: JsonWebKey[] } {
    return {
      keys: this.keys.map((key) => {
        const jwk = key.public.export({ format: 'jwk' }) as { n: string; e: string };
        return {
          kty: 'RSA',
          use: 'sig',
          kid: key.kid,
          x5t: key.kid,
          n: jwk.n,
          e: jwk.e,
          x5c: [key.der],
        };
      }),
    };
  }

  /** Signs with a new key from now on; the previous one stays published, the one before goes. */
  rotate(): void {
    const newest = load(createSigningKey());
    this.keys = [this.keys[this.keys.length - 1] as LoadedKey, newest];
    this.changed();
  }

  snapshot(): SigningKeyMaterial[] {
    return this.keys.map(({ kid, privateKey, certificate }) => ({ kid, privateKey, certificate }));
  }

  restore(materials: SigningKeyMaterial[] | undefined): void {
    if (materials?.length) this.keys = materials.map(load);
  }

  /** Back to the keys the emulator started with. */
  reset(): void {
    this.keys = this.initial.map(load);
    this.changed();
  }
}
