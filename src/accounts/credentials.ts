/**
 * Secrets: the password and PIN rules of spec §11-1, their hashing, and opaque bearer tokens.
 *
 * Passwords and PINs are low-entropy, so they are stretched with scrypt and a per-secret salt.
 * Tokens and API keys are 256 random bits, so a plain SHA-256 is enough to store them and lets a
 * request be authenticated with one indexed lookup.
 */
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** §11-1: 3–15 half-width alphanumerics. */
export const LOGIN_ID_PATTERN = /^[A-Za-z0-9]{3,15}$/;
/** §11-1: four half-width digits. */
export const PIN_PATTERN = /^[0-9]{4}$/;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The reasons a password breaks the policy of §11-1; empty when it is acceptable. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  if (!/^[\x21-\x7e]*$/.test(password)) {
    problems.push('must use half-width letters, digits and symbols only');
  }
  if (!/[0-9]/.test(password)) problems.push('must contain a digit');
  if (!/[A-Z]/.test(password)) problems.push('must contain an upper-case letter');
  if (!/[a-z]/.test(password)) problems.push('must contain a lower-case letter');
  return problems;
}

// scrypt cost: N=2^15 takes ~50 ms on one core, slow for an attacker, fine for a login.
const SCRYPT = { N: 32768, r: 8, p: 1, keylen: 32 } as const;

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64'),
    hash.toString('base64'),
  ].join('$');
}

/** The key derivation: scrypt with the stored cost parameters. A parameter only for tests. */
export type Kdf = (
  secret: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
) => Promise<Buffer>;

export async function verifySecret(
  secret: string,
  stored: string,
  kdf: Kdf = derive,
): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await kdf(secret, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(secret: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return scryptAsync(secret.normalize('NFKC'), salt, SCRYPT.keylen, {
    N,
    r,
    p,
    maxmem: 256 * N * r,
  });
}

/**
 * A well-formed hash that no secret verifies against (its key is all zeros, which scrypt does not
 * produce in practice). Checking a password against it costs a full scrypt run, exactly as a real
 * check does, so that unknown login IDs answer as slowly as known ones.
 */
export const DECOY_HASH = [
  'scrypt',
  SCRYPT.N,
  SCRYPT.r,
  SCRYPT.p,
  Buffer.alloc(16).toString('base64'),
  Buffer.alloc(SCRYPT.keylen).toString('base64'),
].join('$');

export type TokenKind = 'session' | 'api_key';

const TOKEN_PREFIX: Record<TokenKind, string> = { session: 'ccs_', api_key: 'cck_' };

export function generateToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function tokenKind(token: string): TokenKind | undefined {
  if (token.startsWith(TOKEN_PREFIX.session)) return 'session';
  if (token.startsWith(TOKEN_PREFIX.api_key)) return 'api_key';
  return undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const PASSWORD_ALPHABETS = [
  'ABCDEFGHJKLMNPQRSTUVWXYZ',
  'abcdefghijkmnopqrstuvwxyz',
  '23456789',
] as const;

/** A random password that satisfies the policy (no look-alike characters, for reading aloud). */
export function generatePassword(length = 16): string {
  const all = PASSWORD_ALPHABETS.join('');
  const chars = PASSWORD_ALPHABETS.map((alphabet) => pick(alphabet));
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet.charAt(randomInt(alphabet.length));
}
