/**
 * An application for HTTP tests that need no telephony: a private in-memory database and an
 * Asterisk gateway that is never started (so /readyz honestly reports it missing). Tests that
 * touch telephony use test/support/telephony.ts, with a real Asterisk.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import type { AsteriskGateway } from '../../src/platform/asterisk/gateway.js';
import type { Provisioner } from '../../src/platform/asterisk/provisioning.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Database } from '../../src/platform/db/client.js';
import { createLogger } from '../../src/platform/logger.js';
import type { Hub } from '../../src/platform/realtime/hub.js';
import { createServer } from '../../src/server.js';

export const ADMIN_PASSWORD = 'Adm1nPassword';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: Database;
  hub: Hub;
  asterisk: AsteriskGateway;
  provisioner: Provisioner;
  /** A fresh admin session token. */
  adminToken: string;
  request: (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> },
  ) => Promise<LightMyRequestResponse>;
  login: (loginId: string, password: string) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
}

/** Environment of a test server: unreachable external Asterisk unless overridden. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ASTERISK_MODE: 'external',
    ARI_URL: 'http://127.0.0.1:9',
    ARI_USER: 'nobody',
    ARI_PASSWORD: 'nothing',
    AMI_HOST: '127.0.0.1',
    AMI_PORT: '9',
    AMI_USER: 'nobody',
    AMI_SECRET: 'nothing',
    ADMIN_PASSWORD,
    DATABASE_PATH: ':memory:',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_SINGLE_SESSION: 'false',
    // SIPp phones send no RTP and answer no OPTIONS between runs: the media timeout and the
    // qualify pings are switched on only by the tests of those.
    SIP_RTP_TIMEOUT_SECONDS: '0',
    SIP_QUALIFY_SECONDS: '0',
    ...overrides,
  };
}

export async function buildTestApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    realtime?: { keepAliveMs?: number; maxBufferedBytes?: number };
    features?: { callEngine?: boolean };
    /** A fake Asterisk (test/support/fake-asterisk.ts) instead of an unreachable one. */
    asterisk?: AsteriskGateway;
  } = {},
): Promise<TestApp> {
  const config = loadConfig(testEnv(options.env));
  const server = await createServer(config, {
    logger: createLogger(config.logLevel),
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.realtime !== undefined && { realtime: options.realtime }),
    ...(options.features !== undefined && { features: options.features }),
    ...(options.asterisk !== undefined && { asterisk: options.asterisk }),
  });
  const { app, database, hub, asterisk, provisioner } = server;

  const request: TestApp['request'] = (method, url, { token, body, headers = {} } = {}) =>
    app.inject({
      method,
      url,
      headers: { ...headers, ...(token !== undefined && { authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { payload: body as object }),
    });
  const login: TestApp['login'] = (loginId, password) =>
    request('POST', '/api/v1/auth/login', { body: { loginId, password } });

  const adminLogin = await login(config.admin.loginId, ADMIN_PASSWORD);
  const adminToken = (adminLogin.json() as { token: string }).token;

  return {
    app,
    config,
    database,
    hub,
    asterisk,
    provisioner,
    adminToken,
    request,
    login,
    close: server.close,
  };
}

/** What the helpers below need: a way to call the API, and an administrator's token. */
export interface ApiClient {
  adminToken: string;
  request: (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { token?: string | undefined; body?: unknown },
  ) => Promise<{ statusCode: number; body: string; json(): unknown }>;
}

/** An API client over HTTP, for a server running in its own process. */
export function httpClient(baseUrl: string, adminToken: string): ApiClient {
  return {
    adminToken,
    async request(method, url, { token, body } = {}) {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          ...(token !== undefined && { authorization: `Bearer ${token}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { statusCode: res.status, body: text, json: () => JSON.parse(text) as unknown };
    },
  };
}

/** Looks up a built-in role's id. */
export async function roleId(
  t: ApiClient,
  builtIn: 'system_admin' | 'supervisor' | 'agent',
): Promise<number> {
  const res = await t.request('GET', '/api/v1/roles?limit=100', { token: t.adminToken });
  const role = (res.json() as { items: { id: number; builtIn: string | null }[] }).items.find(
    (r) => r.builtIn === builtIn,
  );
  if (role === undefined) throw new Error(`no role ${builtIn}`);
  return role.id;
}

/** Creates an agent and returns its id. */
export async function createAgent(
  t: ApiClient,
  fields: {
    loginId: string;
    password?: string;
    role?: 'system_admin' | 'supervisor' | 'agent';
    extension?: string;
  },
): Promise<number> {
  const res = await t.request('POST', '/api/v1/agents', {
    token: t.adminToken,
    body: {
      loginId: fields.loginId,
      name: `Name ${fields.loginId}`,
      nickname: fields.loginId,
      password: fields.password ?? 'Secret123',
      roleId: await roleId(t, fields.role ?? 'agent'),
      ...(fields.extension !== undefined && { extension: fields.extension }),
    },
  });
  if (res.statusCode !== 201) throw new Error(`create agent: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}
