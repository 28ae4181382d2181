import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * CRM credentials at rest: AES-256-GCM under a key that never lives in the database, so a copy of the database
 * alone reveals nothing. The key comes from HEADWAY_SECRET_KEY (32 bytes, hex or base64) or from a key file
 * created at first use with mode 0600 (HEADWAY_SECRET_KEY_FILE, default ./data/secret.key). Several server
 * processes on one PostgreSQL need the same key: give each the same HEADWAY_SECRET_KEY.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** Names the key without revealing it (first bytes of its hash), for messages about a wrong key. */
  readonly keyId: string;
}

/** A sealed secret that this key cannot open; the message says what to do. */
export class SecretKeyMismatch extends Error {}

const version = 'v1';

function parseKey(text: string, from: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error(`${from} must hold 32 bytes as 64 hex digits or base64 (openssl rand -hex 32).`);
  return key;
}

function readOrCreateKeyFile(path: string): Buffer {
  try {
    return parseKey(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    // `wx`: when two processes start at once, one creates the file and the other reads it.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return parseKey(readFileSync(path, 'utf8'), path);
}

export function secretBoxFromKey(key: Buffer): SecretBox {
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return {
    keyId,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(keyId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [version, keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [tag, sealedKeyId, iv, authTag, body] = sealed.split(':');
      if (tag !== version || !sealedKeyId || !iv || !authTag || body === undefined) throw new SecretKeyMismatch('The stored CRM credential is unreadable; run crm connect again.');
      if (sealedKeyId !== keyId) {
        throw new SecretKeyMismatch(`The stored CRM credential was sealed with another key (${sealedKeyId}, this server has ${keyId}). Give every server process the same HEADWAY_SECRET_KEY, or run crm connect again.`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(authTag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/** The box of this process, from the environment (see above). */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv): SecretBox {
  if (env.HEADWAY_SECRET_KEY) return secretBoxFromKey(parseKey(env.HEADWAY_SECRET_KEY, 'HEADWAY_SECRET_KEY'));
  return secretBoxFromKey(readOrCreateKeyFile(resolve(env.HEADWAY_SECRET_KEY_FILE ?? './data/secret.key')));
}
