import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig, readEnvironment } from '../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

t.test('an empty environment gives defaults that work on a fresh machine', async (t) => {
  const config = loadConfig({});
  t.same(config.http, { host: '0.0.0.0', port: 3000 });
  t.equal(config.database.path, './data/callcenter.db');
  t.equal(config.timezone, 'Asia/Tokyo');
  t.equal(config.logLevel, 'info');
  t.equal(config.asterisk.mode, 'managed');
  t.equal(config.asterisk.stasisApp, 'callcenter');
  t.same(config.auth, {
    tokenTtlMinutes: 720,
    maxFailedLogins: 5,
    lockMinutes: 15,
    singleSession: true,
    throttle: { windowSeconds: 60, perAddress: 20, perLoginId: 10 },
  });
  t.same(config.admin, { loginId: 'admin', password: undefined });
  t.same(config.calls.featureCodes, {
    park: '#72',
    blindTransfer: '#8',
    attendedTransfer: '#9',
    cancelTransfer: '#0',
    terminator: '#',
    digitTimeoutMs: 3000,
  });
  t.same(config.park, {
    firstSlot: '9001',
    lastSlot: '9099',
    timeoutSeconds: 120,
    fallback: { kind: 'parker' },
  });
  t.same(loadConfig({ PARK_FALLBACK: 'group:3' }).park.fallback, { kind: 'group', groupId: 3 });
  if (config.asterisk.mode === 'managed') {
    t.equal(config.asterisk.managed.chroot, 'auto');
    t.equal(config.asterisk.managed.sipPort, 5060);
  }
});

t.test('an invalid setting is reported with the name of its variable', async (t) => {
  t.match(problemsOf({ HTTP_PORT: '70000' }), [/^HTTP_PORT: /]);
  t.match(problemsOf({ HTTP_PORT: 'http' }), [/^HTTP_PORT: /]);
  t.match(problemsOf({ TIMEZONE: 'Mars/Olympus' }), [/^TIMEZONE: must be an IANA time zone/]);
  t.match(problemsOf({ LOG_LEVEL: 'loud' }), [/^LOG_LEVEL: /]);
  t.match(problemsOf({ AUTH_SINGLE_SESSION: 'maybe' }), [/^AUTH_SINGLE_SESSION: must be one of/]);
  t.match(problemsOf({ ASTERISK_MODE: 'cloud' }), [/^ASTERISK_MODE: /]);
  t.match(problemsOf({ ADMIN_LOGIN_ID: 'ad' }), [/^ADMIN_LOGIN_ID: must be 3-15/]);
  t.match(problemsOf({ ASTERISK_RTP_PORT_START: '20000', ASTERISK_RTP_PORT_END: '10000' }), [
    /^ASTERISK_RTP_PORT_END: must be greater/,
  ]);
  t.match(problemsOf({ FEATURE_CODE_PARK: '#8' }), [/^FEATURE_CODE_\*: /]);
  t.match(problemsOf({ FEATURE_CODE_PARK: '#7', FEATURE_CODE_BLIND_TRANSFER: '#72' }), [
    /"#7" is the beginning of "#72"/,
  ]);
  t.match(problemsOf({ FEATURE_CODE_DIGIT_TIMEOUT_MS: '100' }), [
    /^FEATURE_CODE_DIGIT_TIMEOUT_MS: /,
  ]);
  t.match(problemsOf({ PARK_SLOTS: '9001' }), [/^PARK_SLOTS: must be a range/]);
  t.match(problemsOf({ PARK_SLOTS: '9099-9001' }), [/^PARK_SLOTS: the range must run upwards/]);
  t.match(problemsOf({ PARK_FALLBACK: 'somewhere' }), [/^PARK_FALLBACK: must be parker/]);
  // Several problems are reported at once, each with its variable.
  t.equal(problemsOf({ HTTP_PORT: '0', AUTH_MAX_FAILED_LOGINS: '0' }).length, 2);
});

t.test('external mode needs every ARI and AMI setting', async (t) => {
  const problems = problemsOf({ ASTERISK_MODE: 'external', ARI_URL: 'http://pbx:8088' });
  t.same(problems.map((p) => p.split(':')[0]).sort(), [
    'AMI_HOST',
    'AMI_SECRET',
    'AMI_USER',
    'ARI_PASSWORD',
    'ARI_USER',
  ]);
  t.match(problemsOf({ ASTERISK_MODE: 'external', ARI_URL: 'ftp://pbx' }), [/^ARI_URL: /]);

  const config = loadConfig({
    ASTERISK_MODE: 'external',
    ARI_URL: 'http://pbx:8088',
    ARI_USER: 'u',
    ARI_PASSWORD: 'p',
    AMI_HOST: 'pbx',
    AMI_USER: 'm',
    AMI_SECRET: 's',
  });
  t.same(config.asterisk, {
    mode: 'external',
    stasisApp: 'callcenter',
    ari: { url: 'http://pbx:8088', user: 'u', password: 'p' },
    ami: { host: 'pbx', port: 5038, user: 'm', secret: 's' },
  });
});

t.test('.env values apply, and the environment wins over them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-env-'));
  const file = join(dir, '.env');
  writeFileSync(file, 'HTTP_PORT=4000\nTIMEZONE=UTC\n');
  const env = readEnvironment({ ENV_FILE: file, TIMEZONE: 'Europe/Paris' });
  const config = loadConfig(env);
  t.equal(config.http.port, 4000);
  t.equal(config.timezone, 'Europe/Paris');
  t.same(readEnvironment({ ENV_FILE: join(dir, 'missing') }), { ENV_FILE: join(dir, 'missing') });
});

t.test('the browser phone’s settings', async (t) => {
  const managed = loadConfig({ ASTERISK_ARI_PORT: '18088' });
  t.same(managed.browserPhone, {
    asteriskWsUrl: 'ws://127.0.0.1:18088/ws',
    asteriskWsCaFile: undefined,
    dtls: undefined,
    iceServers: [],
  });
  t.same(managed.asterisk.mode === 'managed' && managed.asterisk.managed.ice, {
    iceSubnets: [],
    stunServer: undefined,
  });
  const external = {
    ASTERISK_MODE: 'external',
    ARI_URL: 'https://pbx.example.org:8089/',
    ARI_USER: 'u',
    ARI_PASSWORD: 'p',
    AMI_HOST: 'pbx.example.org',
    AMI_USER: 'u',
    AMI_SECRET: 's',
  };
  t.equal(
    loadConfig(external).browserPhone.asteriskWsUrl,
    'wss://pbx.example.org:8089/ws',
    'an external Asterisk’s /ws, wss for https',
  );
  const set = loadConfig({
    ASTERISK_ICE_SUBNETS: '10.1.0.0/16, fd00::/64',
    ASTERISK_STUN_SERVER: 'stun.example.org:3478',
    BROWSER_PHONE_DTLS_CERT_FILE: '/etc/asterisk/keys/dtls.crt',
    BROWSER_PHONE_DTLS_KEY_FILE: '/etc/asterisk/keys/dtls.key',
    BROWSER_PHONE_ICE_SERVERS: '[{"urls":"stun:stun.example.org"}]',
  });
  t.same(set.asterisk.mode === 'managed' && set.asterisk.managed.ice, {
    iceSubnets: ['10.1.0.0/16', 'fd00::/64'],
    stunServer: 'stun.example.org:3478',
  });
  t.same(set.browserPhone.dtls, {
    certFile: '/etc/asterisk/keys/dtls.crt',
    keyFile: '/etc/asterisk/keys/dtls.key',
  });
  t.same(set.browserPhone.iceServers, [{ urls: 'stun:stun.example.org' }]);
  t.match(problemsOf({ BROWSER_PHONE_DTLS_CERT_FILE: '/x.crt' }), [/give both or neither/]);
  t.match(problemsOf({ ASTERISK_ICE_SUBNETS: '10.1.0.0' }), [/ASTERISK_ICE_SUBNETS/]);
  t.match(problemsOf({ BROWSER_PHONE_ICE_SERVERS: '{nope' }), [
    /BROWSER_PHONE_ICE_SERVERS: must be JSON/,
  ]);
  t.match(problemsOf({ BROWSER_PHONE_ASTERISK_WS_URL: 'http://x/ws' }), [
    /BROWSER_PHONE_ASTERISK_WS_URL/,
  ]);
});

t.test('SMTP: unset is no mail; set, it needs a From; user and password go together', async (t) => {
  t.equal(loadConfig({}).mail, null, 'no SMTP_HOST: mail is not configured');
  t.same(loadConfig({ SMTP_HOST: 'smtp.example.org', SMTP_FROM: 'vm@example.org' }).mail, {
    host: 'smtp.example.org',
    port: 587,
    tls: 'starttls',
    auth: null,
    from: 'vm@example.org',
  });
  t.same(
    loadConfig({
      SMTP_HOST: 'smtp.example.org',
      SMTP_PORT: '465',
      SMTP_TLS: 'tls',
      SMTP_USER: 'voicemail',
      SMTP_PASSWORD: 'p@ss word',
      SMTP_FROM: 'Call center <vm@example.org>',
    }).mail,
    {
      host: 'smtp.example.org',
      port: 465,
      tls: 'tls',
      auth: { user: 'voicemail', password: 'p@ss word' },
      from: 'Call center <vm@example.org>',
    },
  );
  t.equal(loadConfig({ SMTP_HOST: 'relay', SMTP_FROM: 'a@b', SMTP_TLS: 'none' }).mail?.tls, 'none');
  t.same(problemsOf({ SMTP_HOST: 'smtp.example.org' }), [
    'SMTP_FROM: required when SMTP_HOST is set',
  ]);
  t.same(problemsOf({ SMTP_HOST: 'h', SMTP_FROM: 'a@b', SMTP_USER: 'u' }), [
    'SMTP_USER, SMTP_PASSWORD: give both or neither',
  ]);
  t.same(problemsOf({ SMTP_HOST: 'h', SMTP_FROM: 'a@b', SMTP_PASSWORD: 'p' }), [
    'SMTP_USER, SMTP_PASSWORD: give both or neither',
  ]);
  t.match(problemsOf({ SMTP_TLS: 'ssl' }), [/^SMTP_TLS: /]);
  t.match(problemsOf({ SMTP_PORT: '0' }), [/^SMTP_PORT: /]);
  for (const from of ['voicemail', 'a b@example.org', 'Name <no-at>', '<a@b'])
    t.match(
      problemsOf({ SMTP_HOST: 'h', SMTP_FROM: from }),
      [/^SMTP_FROM: must be an address/],
      from,
    );
  // A problem names the variable, never the password's value.
  t.notMatch(
    problemsOf({ SMTP_HOST: 'h', SMTP_USER: 'u', SMTP_PASSWORD: 'hunter2' }).join(),
    /hunter2/,
  );
});
