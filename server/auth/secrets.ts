import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read aloud or typed (no 0/O, 1/I/L). */
export const pairingAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A fresh pairing code shown as ABCD-2345. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += pairingAlphabet[randomInt(pairingAlphabet.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Dash and case do not matter when a code is typed in. */
export function normalisePairingCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function hashPairingCode(code: string): string {
  return sha256(`pairing:${normalisePairingCode(code)}`);
}

/** A device token: 256 random bits; only its hash is stored. */
export function newDeviceToken(): string {
  return `hw_${randomBytes(32).toString('base64url')}`;
}

export function hashDeviceToken(token: string): string {
  return sha256(`device:${token}`);
}
