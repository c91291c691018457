import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

export interface CertificatePaths {
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

const SERVER_HOSTS = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] };
// Renew a little before expiry so a long-lived checkout never serves an expired certificate.
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

/**
 * Creates, once, a local CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by it,
 * and reuses them while they are present, valid and match each other.
 *
 * @example
 * const { caCertPath } = await ensureCertificates('.local/certs');
 * // NODE_EXTRA_CA_CERTS=$caCertPath node app.js
 */
export async function ensureCertificates(dir: string): Promise<CertificatePaths> {
  const paths = {
    caCertPath: join(dir, 'ca.pem'),
    certPath: join(dir, 'server.pem'),
    keyPath: join(dir, 'server-key.pem'),
  };
  if (await areUsable(paths)) return paths;
  await mkdir(dir, { recursive: true });
  const { caPem, certPem, keyPem } = createCertificates();
  // Write to temporary names first: several processes may race here, and none may read half a file.
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(paths.caCertPath + suffix, caPem);
  await writeFile(paths.certPath + suffix, certPem);
  await writeFile(paths.keyPath + suffix, keyPem, { mode: 0o600 });
  await rename(paths.keyPath + suffix, paths.keyPath);
  await rename(paths.certPath + suffix, paths.certPath);
  await rename(paths.caCertPath + suffix, paths.caCertPath);
  return paths;
}

async function areUsable(paths: CertificatePaths): Promise<boolean> {
  try {
    const [caPem, certPem, keyPem] = await Promise.all([
      readFile(paths.caCertPath, 'utf8'),
      readFile(paths.certPath, 'utf8'),
      readFile(paths.keyPath, 'utf8'),
    ]);
    const ca = forge.pki.certificateFromPem(caPem);
    const cert = forge.pki.certificateFromPem(certPem);
    const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    const renewAt = Date.now() + RENEW_BEFORE_MS;
    return (
      ca.verify(cert) &&
      publicKey.n.equals(key.n) &&
      cert.validity.notAfter.getTime() > renewAt &&
      ca.validity.notAfter.getTime() > renewAt
    );
  } catch {
    return false;
  }
}

function createCertificates(): { caPem: string; certPem: string; keyPem: string } {
  const now = Date.now();
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  ca.validity.notBefore = new Date(now - 3600_000);
  ca.validity.notAfter = new Date(now + 10 * 365 * 24 * 3600_000);
  const caName = [{ name: 'commonName', value: 'Sandbox local ARM emulator CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = serverKeys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now - 3600_000);
  // Below the 398-day ceiling that some TLS clients enforce on server certificates.
  cert.validity.notAfter = new Date(now + 397 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...SERVER_HOSTS.dns.map((value) => ({ type: 2, value })),
        ...SERVER_HOSTS.ips.map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}

function serialNumber(): string {
  // A positive serial: clear the top bit so the DER integer is not read as negative.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}
