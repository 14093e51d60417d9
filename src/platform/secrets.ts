/**
 * Secrets the server must give back to Asterisk (SIP passwords of phones and trunks) cannot be
 * hashed, so they are sealed: AES-256-GCM with a key that is never in the database. The key
 * comes from SECRETS_KEY, or from a key file created next to the database on first start
 * (owner-readable only) — so a copy of the database alone reveals no password.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      const [version, payload] = sealed.split(':');
      if (version !== VERSION || payload === undefined)
        throw new Error('unknown sealed secret format');
      const bytes = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

/**
 * The key: SECRETS_KEY (base64 of 32 bytes) when set; else `<database dir>/secrets.key`,
 * created on first use; else (an in-memory database) a key for this process only.
 */
export function loadSecretKey(configured: string | undefined, databasePath: string): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'base64');
  if (databasePath === ':memory:') return randomBytes(32);
  const file = join(dirname(resolve(databasePath)), 'secrets.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}
