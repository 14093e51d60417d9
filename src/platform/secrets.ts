/**
 * Secrets the server must give back to Asterisk (SIP passwords of phones and trunks) cannot be
 * hashed, so they are sealed: AES-256-GCM with a key that is never in the database. The key
 * comes from SECRETS_KEY, or from a key file created next to the database on first start
 * (owner-readable only) — so a copy of the database alone reveals no password.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /**
   * A tag that proves the server wrote `message` for `purpose` (HMAC-SHA-256 under a key derived
   * from the secrets key for that purpose alone), as URL-safe base64 of `bytes` bytes: for links
   * handed to a party that cannot log in, such as Asterisk fetching an audio file.
   */
  sign(purpose: string, message: string, bytes?: number): string;
  /** Whether `tag` is what sign(purpose, message, bytes) gives, compared in constant time. */
  verify(purpose: string, message: string, tag: string, bytes?: number): boolean;
}

const VERSION = 'v1';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  const signingKeys = new Map<string, Buffer>();
  function signingKey(purpose: string): Buffer {
    let derived = signingKeys.get(purpose);
    if (derived === undefined) {
      derived = Buffer.from(hkdfSync('sha256', key, '', `sign:${purpose}`, 32));
      signingKeys.set(purpose, derived);
    }
    return derived;
  }
  function sign(purpose: string, message: string, bytes = 16): string {
    const mac = createHmac('sha256', signingKey(purpose)).update(message, 'utf8').digest();
    return mac.subarray(0, Math.min(32, Math.max(8, bytes))).toString('base64url');
  }
  return {
    sign,
    verify(purpose, message, tag, bytes = 16) {
      const expected = Buffer.from(sign(purpose, message, bytes), 'base64url');
      const given = Buffer.from(tag, 'base64url');
      return given.length === expected.length && timingSafeEqual(expected, given);
    },
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
