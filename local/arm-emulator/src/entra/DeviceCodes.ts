import { createHash, randomBytes, randomInt } from 'node:crypto';
import { EntraError } from './EntraError.js';

/** What a device asked to be signed in for. */
export interface DeviceRequest {
  clientId: string;
  scope: string;
}

interface StoredDeviceCode extends DeviceRequest {
  userCode: string;
  expiresAtMs: number;
  /** Who signed in on another device, once someone has. */
  userObjectId?: string;
  redeemed: boolean;
}

/** Entra's device codes live fifteen minutes; devices poll every five seconds. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;

/** User codes are nine letters and digits a person types: no 0/O or 1/I to mistake. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const hash = (code: string) => createHash('sha256').update(code).digest('base64url');

/**
 * The device codes of the local Entra ID's device code flow (OAuth 2.0 device authorization grant,
 * as Entra answers it): a device code the device polls the token endpoint with, and a short user
 * code a person enters on the sign-in page. In memory only, keyed by the device code's hash.
 *
 * @example
 * const { deviceCode, userCode } = codes.start({ clientId, scope }, now);
 * codes.approve(userCode, user.objectId, now);
 * codes.redeem(deviceCode, clientId, now).userObjectId;
 */
export class DeviceCodes {
  private readonly codes = new Map<string, StoredDeviceCode>();

  start(request: DeviceRequest, nowMs: number): { deviceCode: string; userCode: string } {
    for (const [key, stored] of this.codes) {
      if (stored.expiresAtMs <= nowMs) this.codes.delete(key);
    }
    const deviceCode = randomBytes(32).toString('base64url');
    const userCode = Array.from(
      { length: 9 },
      () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)],
    ).join('');
    this.codes.set(hash(deviceCode), {
      ...request,
      userCode,
      expiresAtMs: nowMs + DEVICE_CODE_LIFETIME_SECONDS * 1000,
      redeemed: false,
    });
    return { deviceCode, userCode };
  }

  /** The request a person's user code stands for, while it may still be signed in for. */
  pending(userCode: string, nowMs: number): DeviceRequest | undefined {
    const stored = this.byUserCode(userCode);
    return stored && stored.expiresAtMs > nowMs && !stored.userObjectId ? stored : undefined;
  }

  /** Records who signed in for the device; `false` when the code is unknown, used or expired. */
  approve(userCode: string, userObjectId: string, nowMs: number): boolean {
    const stored = this.byUserCode(userCode);
    if (!stored || stored.expiresAtMs <= nowMs || stored.userObjectId) return false;
    stored.userObjectId = userObjectId;
    return true;
  }

  /**
   * The device's poll: who signed in, once; Entra's errors before (`authorization_pending`), after
   * the code expired (`expired_token`), for another client or a code never issued.
   */
  redeem(
    deviceCode: string,
    clientId: string,
    nowMs: number,
  ): DeviceRequest & { userObjectId: string } {
    const stored = this.codes.get(hash(deviceCode));
    if (!stored || stored.redeemed || stored.clientId.toLowerCase() !== clientId.toLowerCase()) {
      throw new EntraError(
        400,
        'bad_verification_code',
        70018,
        'The provided value for the input parameter "device_code" is not valid.',
      );
    }
    if (stored.expiresAtMs <= nowMs) {
      throw new EntraError(400, 'expired_token', 70019, 'Verification code expired.');
    }
    if (!stored.userObjectId) {
      throw new EntraError(
        400,
        'authorization_pending',
        70016,
        'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
      );
    }
    stored.redeemed = true;
    return { clientId: stored.clientId, scope: stored.scope, userObjectId: stored.userObjectId };
  }

  private byUserCode(userCode: string): StoredDeviceCode | undefined {
    const wanted = userCode.replace(/[\s-]/g, '').toUpperCase();
    for (const stored of this.codes.values()) if (stored.userCode === wanted) return stored;
    return undefined;
  }
}
