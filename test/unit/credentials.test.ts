import t from 'tap';
import {
  LOGIN_ID_PATTERN,
  PIN_PATTERN,
  DECOY_HASH,
  generatePassword,
  generateToken,
  hashSecret,
  hashToken,
  passwordProblems,
  tokenKind,
  verifySecret,
} from '../../src/accounts/credentials.js';

t.test(
  'password policy (§11-1): 8+ half-width chars with a digit, an upper and a lower case letter',
  async (t) => {
    t.same(passwordProblems('Secret123'), []);
    t.same(passwordProblems('aB3$%&()'), []);
    t.same(passwordProblems('Sec12'), ['must be at least 8 characters']);
    t.same(passwordProblems('secret123'), ['must contain an upper-case letter']);
    t.same(passwordProblems('SECRET123'), ['must contain a lower-case letter']);
    t.same(passwordProblems('SecretPass'), ['must contain a digit']);
    t.same(passwordProblems('Ｓecret123'), [
      'must use half-width letters, digits and symbols only',
      'must contain an upper-case letter',
    ]);
    t.same(passwordProblems('Secret 123'), [
      'must use half-width letters, digits and symbols only',
    ]);
    t.ok(passwordProblems('A1a'.padEnd(129, 'x')).includes('must be at most 128 characters'));
  },
);

t.test('login IDs and PINs', async (t) => {
  for (const ok of ['abc', 'Demo00001', 'A23456789012345']) t.ok(LOGIN_ID_PATTERN.test(ok), ok);
  for (const bad of ['ab', 'A234567890123456', 'ab-c', 'ａbc', 'ab c'])
    t.notOk(LOGIN_ID_PATTERN.test(bad), bad);
  t.ok(PIN_PATTERN.test('1234'));
  for (const bad of ['123', '12345', '12a4', '１２３４']) t.notOk(PIN_PATTERN.test(bad), bad);
});

t.test('secrets are salted and verified', async (t) => {
  const a = await hashSecret('Secret123');
  const b = await hashSecret('Secret123');
  t.not(a, b, 'a fresh salt each time');
  t.notMatch(a, /Secret123/);
  t.ok(await verifySecret('Secret123', a));
  t.notOk(await verifySecret('Secret124', a));
  t.notOk(await verifySecret('Secret123', 'md5$whatever'));
  t.notOk(await verifySecret('', DECOY_HASH));
});

t.test(
  'checking against the decoy hash costs a full key derivation, as a real check does',
  async (t) => {
    // Unknown login IDs are checked against the decoy: if that returned early, response times
    // would tell which IDs exist. Count the derivations instead of timing them.
    const real = await hashSecret('Secret123');
    const runs: { secret: string; N: number; keylen: number }[] = [];
    const counting = (length: number) => async (secret: string, _salt: Buffer, N: number) => {
      runs.push({ secret, N, keylen: length });
      return Buffer.alloc(length, 1);
    };
    t.notOk(await verifySecret('Secret123', DECOY_HASH, counting(32)), 'no secret matches');
    t.notOk(await verifySecret('Secret123', real, counting(32)));
    t.same(
      runs.map((r) => r.N),
      [32768, 32768],
      'the decoy and a real hash both run the KDF, at the same cost',
    );
    t.equal(Buffer.from(DECOY_HASH.split('$')[5] ?? '', 'base64').length, 32, 'a full-length key');
    t.notOk(await verifySecret('', DECOY_HASH), 'and the real KDF does not match it either');
  },
);

t.test('tokens', async (t) => {
  const session = generateToken('session');
  const key = generateToken('api_key');
  t.equal(tokenKind(session), 'session');
  t.equal(tokenKind(key), 'api_key');
  t.equal(tokenKind('Basic abc'), undefined);
  t.ok(session.length > 40);
  t.not(generateToken('session'), session);
  t.equal(hashToken(session), hashToken(session));
  t.match(hashToken(session), /^[0-9a-f]{64}$/);
});

t.test('generated passwords satisfy the policy', async (t) => {
  const passwords = Array.from({ length: 200 }, () => generatePassword());
  t.equal(new Set(passwords).size, 200, 'all different');
  t.same(
    passwords.filter((p) => passwordProblems(p).length > 0),
    [],
    'every one within the policy',
  );
  t.equal(generatePassword(20).length, 20);
});
