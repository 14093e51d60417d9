/**
 * Every setting of the server, read from the environment (and an optional .env file).
 *
 * One flat zod schema over the environment variables, so that an error names the variable the
 * operator has to fix; it is then reshaped into the nested `Config` the code uses. Defaults are
 * chosen so that a fresh machine starts with no settings at all: managed Asterisk, SQLite under
 * ./data, Asia/Tokyo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { featureCodesProblem, type FeatureCodeSettings } from './calls/feature-codes.js';
import { roomsOf, type ConferenceSettings } from './conferences/rooms.js';
import {
  codesProblem as supervisionCodesProblem,
  type SupervisionCodes,
} from './supervision/modes.js';
import { isSlot, parkFallback, type ParkSettings } from './park/slots.js';
import { SMTP_TLS_MODES, type SmtpSettings } from './mail/settings.js';
import type { RtpIceSettings } from './platform/asterisk/config-render.js';

const port = z.coerce.number().int().min(1).max(65535);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of true, false, 1, 0, yes, no, on, off',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone such as Asia/Tokyo' },
);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

/** The environment variables, with their defaults. Documented one by one in README.md. */
export const envSchema = z.object({
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: port.default(3000),
  DATABASE_PATH: z.string().min(1).default('./data/callcenter.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIMEZONE: timezone.default('Asia/Tokyo'),
  STASIS_APP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1-64 letters, digits, _ or -' })
    .default('callcenter'),

  ASTERISK_MODE: z.enum(['managed', 'external']).default('managed'),
  // external mode
  ARI_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ARI_USER: optionalText,
  ARI_PASSWORD: optionalText,
  AMI_HOST: optionalText,
  AMI_PORT: port.default(5038),
  AMI_USER: optionalText,
  AMI_SECRET: optionalText,
  // managed mode
  ASTERISK_BINARY: z.string().min(1).default('asterisk'),
  ASTERISK_CHROOT: z.string().min(1).default('auto'),
  ASTERISK_RUNTIME_DIR: optionalText,
  ASTERISK_SIP_BIND: z.ipv4().default('0.0.0.0'),
  ASTERISK_SIP_PORT: port.default(5060),
  ASTERISK_ARI_PORT: port.default(8088),
  ASTERISK_AMI_PORT: port.default(5038),
  ASTERISK_RTP_PORT_START: port.default(10000),
  ASTERISK_RTP_PORT_END: port.default(20000),
  ASTERISK_ICE_SUBNETS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(
      z.array(z.union([z.cidrv4(), z.cidrv6()]), {
        error: 'must be subnets (CIDR) separated by commas, e.g. 192.168.10.0/24',
      }),
    ),
  ASTERISK_STUN_SERVER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, { error: 'must be host or host:port' })
      .optional(),
  ),

  ASTERISK_MEDIA_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  AUDIO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  AUDIO_MAX_SECONDS: z.coerce.number().int().min(1).max(7200).default(600),
  VOICEMAIL_MAX_SECONDS: z.coerce.number().int().min(5).max(3600).default(180),
  VOICEMAIL_SILENCE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  VOICEMAIL_MIN_SECONDS: z.coerce.number().int().min(0).max(60).default(1),
  IVR_MAX_HOPS: z.coerce.number().int().min(1).max(100).default(10),
  /** MOT's limit of customers in one call list (A.8.1). */
  CALL_LIST_MAX_CUSTOMERS: z.coerce.number().int().min(1).max(100_000).default(500),
  /** MiiTel's limit of targets in one call-target list (B.3). */
  TARGET_LIST_MAX_TARGETS: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  BROWSER_PHONE_ASTERISK_WS_URL: optionalText.pipe(z.url({ protocol: /^wss?$/ }).optional()),
  BROWSER_PHONE_ASTERISK_WS_CA_FILE: optionalText,
  BROWSER_PHONE_DTLS_CERT_FILE: optionalText,
  BROWSER_PHONE_DTLS_KEY_FILE: optionalText,
  BROWSER_PHONE_ICE_SERVERS: z
    .string()
    .default('[]')
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(
      z.array(
        z.object({
          urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
          username: z.string().optional(),
          credential: z.string().optional(),
        }),
        { error: 'must be a JSON array of {"urls", "username", "credential"}' },
      ),
    ),

  CALL_RING_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  CALL_OUTBOUND_RING_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  CALL_RECORDING: bool.default(true),
  FEATURE_CODE_PARK: z.string().default('#72'),
  FEATURE_CODE_BLIND_TRANSFER: z.string().default('#8'),
  FEATURE_CODE_ATTENDED_TRANSFER: z.string().default('#9'),
  FEATURE_CODE_TRANSFER_CANCEL: z.string().default('#0'),
  FEATURE_CODE_TERMINATOR: z.string().default('#'),
  FEATURE_CODE_DIGIT_TIMEOUT_MS: z.coerce.number().int().min(500).max(30_000).default(3000),
  PARK_SLOTS: z
    .string()
    .regex(/^\d{2,6}-\d{2,6}$/, { error: 'must be a range of extensions such as 9001-9099' })
    .default('9001-9099'),
  PARK_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  CONFERENCE_ROOMS: z.string().default('9201-9203'),
  MONITOR_CODE_LISTEN: z.string().default('995'),
  MONITOR_CODE_WHISPER: z.string().default('994'),
  MONITOR_CODE_BARGE: z.string().default('996'),
  CONFERENCE_TONES: bool.default(true),
  PARK_FALLBACK: z
    .string()
    .regex(/^(parker|group:\d+|extension:\d+)$/, {
      error: 'must be parker, group:<id> or extension:<number>',
    })
    .default('parker'),

  SIP_RTP_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  SIP_RTP_HOLD_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(86400).default(900),
  SIP_SESSION_EXPIRES_SECONDS: z.coerce.number().int().min(90).max(86400).default(1800),
  SIP_QUALIFY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  SIP_REFER: z.enum(['auto', 'refuse']).default('auto'),

  AUTH_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(525600).default(720),
  AUTH_MAX_FAILED_LOGINS: z.coerce.number().int().min(1).max(100).default(5),
  AUTH_LOCK_MINUTES: z.coerce.number().int().min(0).max(525600).default(15),
  AUTH_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  AUTH_THROTTLE_PER_ADDRESS: z.coerce.number().int().min(0).max(100000).default(20),
  AUTH_THROTTLE_PER_LOGIN_ID: z.coerce.number().int().min(0).max(100000).default(10),
  AUTH_SINGLE_SESSION: bool.default(true),
  ADMIN_LOGIN_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{3,15}$/, { error: 'must be 3-15 half-width letters or digits' })
    .default('admin'),
  ADMIN_PASSWORD: optionalText,
  SECRETS_KEY: optionalText.pipe(
    z
      .base64({ error: 'must be the base64 of 32 random bytes (openssl rand -base64 32)' })
      .refine((v) => Buffer.from(v, 'base64').length === 32, {
        error: 'must be the base64 of 32 random bytes (openssl rand -base64 32)',
      })
      .optional(),
  ),

  SMTP_HOST: optionalText,
  SMTP_PORT: port.default(587),
  SMTP_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  SMTP_TLS: z.enum(SMTP_TLS_MODES).default('starttls'),
  SMTP_USER: optionalText,
  SMTP_PASSWORD: optionalText,
  SMTP_FROM: optionalText.pipe(
    z
      .string()
      .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
        error: 'must be an address (voicemail@example.com) or Name <voicemail@example.com>',
      })
      .optional(),
  ),
});

export type Env = z.infer<typeof envSchema>;

export interface ManagedAsteriskSettings {
  binary: string;
  /** Root of a chroot holding Asterisk, `auto` to look in the standard place, or `none`. */
  chroot: string;
  /** Where the rendered configuration and Asterisk's own files go; computed when unset. */
  runtimeDir: string | undefined;
  sipBind: string;
  sipPort: number;
  ariPort: number;
  amiPort: number;
  rtpPortStart: number;
  rtpPortEnd: number;
  /** Where Asterisk's ICE candidates come from (the browser phone's media). */
  ice: RtpIceSettings;
}

export interface AsteriskEndpoints {
  ari: { url: string; user: string; password: string };
  ami: { host: string; port: number; user: string; secret: string };
}

export type AsteriskSettings =
  | { mode: 'managed'; stasisApp: string; managed: ManagedAsteriskSettings }
  | ({ mode: 'external'; stasisApp: string } & AsteriskEndpoints);

export interface Config {
  http: { host: string; port: number };
  database: { path: string };
  logLevel: Env['LOG_LEVEL'];
  timezone: string;
  asterisk: AsteriskSettings;
  calls: {
    /** How long our phones ring for a call before it counts as unanswered. */
    ringSeconds: number;
    /** How long an outbound call may ring at the far end. */
    outboundRingSeconds: number;
    /** Record every answered call. */
    recording: boolean;
    /** The codes an agent keys during a call (§13). */
    featureCodes: FeatureCodeSettings;
  };
  /** Audio files (§11-6): upload limits, and where Asterisk fetches them from. */
  audio: {
    maxBytes: number;
    maxSeconds: number;
    /** This server's API as Asterisk reaches it (`…/api/v1`), for `sound:http://…` media. */
    apiBaseUrl: string;
  };
  /** Call-target lists (発信先リスト, MiiTel B). */
  targetLists: { maxTargets: number };
  /** MOT call lists (コールリスト, A.8). */
  callLists: { maxCustomers: number };
  /** Messages left after an audio file with voicemail on (§11-6). */
  voicemail: {
    maxSeconds: number;
    /** A message ends after this much silence (0 = never). */
    silenceSeconds: number;
    /** Shorter messages are dropped. */
    minSeconds: number;
  };
  /** IVRs (§11-3): how many IVRs, groups or rules a call may pass before it is stopped. */
  ivr: { maxHops: number };
  /** CSV uploads (§10-13): the file size (the manual's 5 MB) and the rows of one upload. */
  imports: { maxBytes: number; maxRows: number };
  /** Park slots (§5-3): dialled to pick a parked call up. */
  park: ParkSettings;
  /** Conference rooms (§5-1, §13): dialled to join. */
  conferences: ConferenceSettings;
  /** The codes a supervisor dials before an agent's extension (§13). */
  supervision: SupervisionCodes;
  /** What every SIP endpoint we provision gets, so that a dead phone or carrier is noticed. */
  sip: SipEndpointSettings;
  auth: {
    tokenTtlMinutes: number;
    maxFailedLogins: number;
    /** How long the lock after too many failures lasts; 0 = until an administrator unlocks. */
    lockMinutes: number;
    singleSession: boolean;
    /** Failed logins allowed per client address and per login ID within the window (0 = off). */
    throttle: { windowSeconds: number; perAddress: number; perLoginId: number };
  };
  admin: { loginId: string; password: string | undefined };
  /** Base64 key sealing SIP secrets at rest; undefined = key file next to the database. */
  secretsKey: string | undefined;
  browserPhone: BrowserPhoneSettings;
  /** The SMTP server mails (voicemail recordings) go through; null = none, mails are kept. */
  mail: SmtpSettings | null;
  /** The first retry of a mail that could not be sent comes after this; each next one doubles. */
  mailRetrySeconds: number;
}

/** An ICE server handed to browsers (RTCIceServer). */
export interface IceServer {
  urls: string | string[];
  username?: string | undefined;
  credential?: string | undefined;
}

/** The browser phone (WebRTC): how its SIP reaches Asterisk, its DTLS certificate, ICE. */
export interface BrowserPhoneSettings {
  /** Asterisk's SIP WebSocket (`/ws` on its HTTP server), which the server's /api/v1/sip pipes to. */
  asteriskWsUrl: string;
  /** A CA (PEM) to trust for a `wss://` asteriskWsUrl with a private certificate. */
  asteriskWsCaFile: string | undefined;
  /** DTLS certificate and key as paths on Asterisk's host; undefined = generated per call. */
  dtls: { certFile: string; keyFile: string } | undefined;
  /** STUN / TURN servers for browsers behind NAT. */
  iceServers: IceServer[];
}

export interface SipEndpointSettings {
  /** A call is ended after this long without media from a party (0 = never). */
  rtpTimeoutSeconds: number;
  /** The same while the party holds the call (0 = never). */
  rtpHoldTimeoutSeconds: number;
  /** SIP session timers (RFC 4028): the session interval offered. */
  sessionExpiresSeconds: number;
  /** How often phones are pinged with OPTIONS (0 = never); an unreachable phone is offline. */
  qualifySeconds: number;
  /**
   * A phone's own transfer button (SIP REFER): `auto` = handled by the server where Asterisk
   * hands REFERs to the application, refused (603) elsewhere; `refuse` = always refused.
   */
  refer: 'auto' | 'refuse';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Settings that external mode cannot do without. */
const EXTERNAL_REQUIRED = [
  'ARI_URL',
  'ARI_USER',
  'ARI_PASSWORD',
  'AMI_HOST',
  'AMI_USER',
  'AMI_SECRET',
] as const;

export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  if (e.ASTERISK_MODE === 'external') {
    for (const name of EXTERNAL_REQUIRED) {
      if (e[name] === undefined) problems.push(`${name}: required when ASTERISK_MODE=external`);
    }
  }
  if (
    (e.BROWSER_PHONE_DTLS_CERT_FILE === undefined) !==
    (e.BROWSER_PHONE_DTLS_KEY_FILE === undefined)
  )
    problems.push(
      'BROWSER_PHONE_DTLS_CERT_FILE, BROWSER_PHONE_DTLS_KEY_FILE: give both or neither',
    );
  if (e.ASTERISK_RTP_PORT_END <= e.ASTERISK_RTP_PORT_START) {
    problems.push('ASTERISK_RTP_PORT_END: must be greater than ASTERISK_RTP_PORT_START');
  }
  const featureCodes: FeatureCodeSettings = {
    park: e.FEATURE_CODE_PARK,
    blindTransfer: e.FEATURE_CODE_BLIND_TRANSFER,
    attendedTransfer: e.FEATURE_CODE_ATTENDED_TRANSFER,
    cancelTransfer: e.FEATURE_CODE_TRANSFER_CANCEL,
    terminator: e.FEATURE_CODE_TERMINATOR,
    digitTimeoutMs: e.FEATURE_CODE_DIGIT_TIMEOUT_MS,
  };
  const codesProblem = featureCodesProblem(featureCodes);
  if (codesProblem !== null) problems.push(`FEATURE_CODE_*: ${codesProblem}`);
  const [firstSlot, lastSlot] = e.PARK_SLOTS.split('-') as [string, string];
  if (Number(lastSlot) < Number(firstSlot) || firstSlot.length !== lastSlot.length)
    problems.push('PARK_SLOTS: the range must run upwards between numbers of the same length');
  const rooms = roomsOf(e.CONFERENCE_ROOMS);
  if ('problem' in rooms) problems.push(`CONFERENCE_ROOMS: ${rooms.problem}`);
  else if (rooms.some((room) => isSlot({ firstSlot, lastSlot }, room)))
    problems.push('CONFERENCE_ROOMS: a room is also a park slot (PARK_SLOTS)');
  const supervision: SupervisionCodes = {
    listen: e.MONITOR_CODE_LISTEN,
    whisper: e.MONITOR_CODE_WHISPER,
    barge: e.MONITOR_CODE_BARGE,
  };
  const supervisionProblem = supervisionCodesProblem(supervision);
  if (supervisionProblem !== null) problems.push(`MONITOR_CODE_*: ${supervisionProblem}`);
  if (e.SMTP_HOST !== undefined && e.SMTP_FROM === undefined)
    problems.push('SMTP_FROM: required when SMTP_HOST is set');
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASSWORD === undefined))
    problems.push('SMTP_USER, SMTP_PASSWORD: give both or neither');
  if (problems.length > 0) throw new ConfigError(problems);

  const asterisk: AsteriskSettings =
    e.ASTERISK_MODE === 'external'
      ? {
          mode: 'external',
          stasisApp: e.STASIS_APP,
          ari: { url: e.ARI_URL ?? '', user: e.ARI_USER ?? '', password: e.ARI_PASSWORD ?? '' },
          ami: {
            host: e.AMI_HOST ?? '',
            port: e.AMI_PORT,
            user: e.AMI_USER ?? '',
            secret: e.AMI_SECRET ?? '',
          },
        }
      : {
          mode: 'managed',
          stasisApp: e.STASIS_APP,
          managed: {
            binary: e.ASTERISK_BINARY,
            chroot: e.ASTERISK_CHROOT,
            runtimeDir: e.ASTERISK_RUNTIME_DIR,
            sipBind: e.ASTERISK_SIP_BIND,
            sipPort: e.ASTERISK_SIP_PORT,
            ariPort: e.ASTERISK_ARI_PORT,
            amiPort: e.ASTERISK_AMI_PORT,
            rtpPortStart: e.ASTERISK_RTP_PORT_START,
            rtpPortEnd: e.ASTERISK_RTP_PORT_END,
            ice: { iceSubnets: e.ASTERISK_ICE_SUBNETS, stunServer: e.ASTERISK_STUN_SERVER },
          },
        };

  return {
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    database: { path: e.DATABASE_PATH },
    logLevel: e.LOG_LEVEL,
    timezone: e.TIMEZONE,
    asterisk,
    calls: {
      ringSeconds: e.CALL_RING_SECONDS,
      outboundRingSeconds: e.CALL_OUTBOUND_RING_SECONDS,
      recording: e.CALL_RECORDING,
      featureCodes,
    },
    audio: {
      maxBytes: e.AUDIO_MAX_BYTES,
      maxSeconds: e.AUDIO_MAX_SECONDS,
      apiBaseUrl: `${(e.ASTERISK_MEDIA_URL ?? `http://127.0.0.1:${e.HTTP_PORT}`).replace(/\/+$/, '')}/api/v1`,
    },
    targetLists: { maxTargets: e.TARGET_LIST_MAX_TARGETS },
    callLists: { maxCustomers: e.CALL_LIST_MAX_CUSTOMERS },
    voicemail: {
      maxSeconds: e.VOICEMAIL_MAX_SECONDS,
      silenceSeconds: e.VOICEMAIL_SILENCE_SECONDS,
      minSeconds: e.VOICEMAIL_MIN_SECONDS,
    },
    ivr: { maxHops: e.IVR_MAX_HOPS },
    imports: { maxBytes: e.IMPORT_MAX_BYTES, maxRows: e.IMPORT_MAX_ROWS },
    park: {
      firstSlot,
      lastSlot,
      timeoutSeconds: e.PARK_TIMEOUT_SECONDS,
      fallback: parkFallback(e.PARK_FALLBACK),
    },
    conferences: { rooms: 'problem' in rooms ? [] : rooms, tones: e.CONFERENCE_TONES },
    supervision,
    sip: {
      rtpTimeoutSeconds: e.SIP_RTP_TIMEOUT_SECONDS,
      rtpHoldTimeoutSeconds: e.SIP_RTP_HOLD_TIMEOUT_SECONDS,
      sessionExpiresSeconds: e.SIP_SESSION_EXPIRES_SECONDS,
      qualifySeconds: e.SIP_QUALIFY_SECONDS,
      refer: e.SIP_REFER,
    },
    auth: {
      tokenTtlMinutes: e.AUTH_TOKEN_TTL_MINUTES,
      maxFailedLogins: e.AUTH_MAX_FAILED_LOGINS,
      lockMinutes: e.AUTH_LOCK_MINUTES,
      singleSession: e.AUTH_SINGLE_SESSION,
      throttle: {
        windowSeconds: e.AUTH_THROTTLE_WINDOW_SECONDS,
        perAddress: e.AUTH_THROTTLE_PER_ADDRESS,
        perLoginId: e.AUTH_THROTTLE_PER_LOGIN_ID,
      },
    },
    admin: { loginId: e.ADMIN_LOGIN_ID, password: e.ADMIN_PASSWORD },
    secretsKey: e.SECRETS_KEY,
    browserPhone: {
      asteriskWsUrl:
        e.BROWSER_PHONE_ASTERISK_WS_URL ?? asteriskWsUrlOf(asterisk, e.ASTERISK_ARI_PORT),
      asteriskWsCaFile: e.BROWSER_PHONE_ASTERISK_WS_CA_FILE,
      dtls:
        e.BROWSER_PHONE_DTLS_CERT_FILE !== undefined && e.BROWSER_PHONE_DTLS_KEY_FILE !== undefined
          ? { certFile: e.BROWSER_PHONE_DTLS_CERT_FILE, keyFile: e.BROWSER_PHONE_DTLS_KEY_FILE }
          : undefined,
      iceServers: e.BROWSER_PHONE_ICE_SERVERS,
    },
    mailRetrySeconds: e.SMTP_RETRY_SECONDS,
    mail:
      e.SMTP_HOST === undefined
        ? null
        : {
            host: e.SMTP_HOST,
            port: e.SMTP_PORT,
            tls: e.SMTP_TLS,
            auth:
              e.SMTP_USER !== undefined && e.SMTP_PASSWORD !== undefined
                ? { user: e.SMTP_USER, password: e.SMTP_PASSWORD }
                : null,
            from: e.SMTP_FROM ?? '',
          },
  };
}

/**
 * Asterisk's SIP WebSocket when none is configured: `/ws` on the HTTP server that carries ARI
 * (the managed one on loopback; an external one at ARI_URL's host, ws for http, wss for https).
 */
function asteriskWsUrlOf(asterisk: AsteriskSettings, managedAriPort: number): string {
  if (asterisk.mode === 'managed') return `ws://127.0.0.1:${managedAriPort}/ws`;
  const url = new URL(asterisk.ari.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = '/ws';
  url.search = '';
  url.username = '';
  url.password = '';
  return url.toString();
}

/**
 * The process environment over the values of ./.env (or ENV_FILE), so a variable set in the
 * environment always wins over the file.
 */
export function readEnvironment(
  env: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  const file = env.ENV_FILE ?? '.env';
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}
