/**
 * A call-center floor for telephony tests: agents with desk phones provisioned over REST and
 * registered by SIPp with their real credentials, and waits on what the feed and REST report.
 */
import { createAgent } from './app.js';
import { freePortBlock } from './ports.js';
import { runSipp, sippOk, type SippOptions, type SippRun } from './sipp.js';
import type { ApiClient } from './app.js';

/** A server the floor helpers can drive: its API, and Asterisk's SIP address. */
export interface FloorServer extends ApiClient {
  sip: { address: string };
}
type TelephonyServer = FloorServer;

export interface Phone {
  agentId: number | null;
  extension: string | null;
  sipUser: string;
  secret: string;
  /** The phone's SIP port (where it registered, and where it answers). */
  port: number;
}

/** An agent with one desk phone, registered. */
export async function agentWithPhone(
  server: TelephonyServer,
  loginId: string,
  extension: string,
  options: { register?: boolean; password?: string } = {},
): Promise<Phone> {
  const agentId = await createAgent(server, {
    loginId,
    extension,
    ...(options.password !== undefined && { password: options.password }),
  });
  return phoneFor(server, agentId, extension, `desk${extension}`, options.register ?? true);
}

export async function phoneFor(
  server: TelephonyServer,
  agentId: number | null,
  extension: string | null,
  sipUser: string,
  register = true,
): Promise<Phone> {
  const res = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser, name: `Phone ${sipUser}`, ...(agentId !== null && { agentId }) },
  });
  if (res.statusCode !== 201) throw new Error(`terminal: ${res.statusCode} ${res.body}`);
  const secret = (res.json() as { secret: string }).secret;
  const phone = { agentId, extension, sipUser, secret, port: await freePortBlock(1) };
  if (register) await registerPhone(server, phone);
  return phone;
}

export async function registerPhone(server: TelephonyServer, phone: Phone): Promise<void> {
  await sippOk('phone-register.xml', {
    remote: server.sip.address,
    localPort: phone.port,
    service: phone.sipUser,
    authPassword: phone.secret,
  });
  await until(
    async () => {
      const res = await server.request('GET', `/api/v1/terminals?sipUser=${phone.sipUser}`, {
        token: server.adminToken,
      });
      return (res.json() as { items: { sipUser: string; registered: boolean }[] }).items.some(
        (t) => t.sipUser === phone.sipUser && t.registered,
      );
    },
    5000,
    `${phone.sipUser} to register`,
  );
}

/** The phone waits for a call and answers it (or is busy, or never answers). */
export function answer(
  phone: Phone,
  scenario: 'phone-answer.xml' | 'phone-busy.xml' | 'phone-noanswer.xml' = 'phone-answer.xml',
  options: Omit<SippOptions, 'localPort'> = {},
): Promise<SippRun> {
  return runSipp(scenario, { localPort: phone.port, timeoutSeconds: 60, ...options });
}

/** The phone dials `number`, authenticating as itself. */
export function dial(
  server: TelephonyServer,
  phone: Phone,
  number: string,
  scenario = 'caller.xml',
  options: Omit<SippOptions, 'remote' | 'service'> = {},
): Promise<SippRun> {
  return runSipp(scenario, {
    remote: server.sip.address,
    service: number,
    authUser: phone.sipUser,
    authPassword: phone.secret,
    timeoutSeconds: 60,
    ...options,
    vars: { from_user: phone.sipUser, ...options.vars },
  });
}

export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The final response code a refused caller got (from caller-refused.xml's message trace). */
export function finalResponse(messages: string): number | undefined {
  const codes = [...messages.matchAll(/^SIP\/2\.0 (\d{3}) /gm)].map((m) => Number(m[1]));
  return codes.filter((c) => c >= 300).at(-1);
}

export interface HistoryRow {
  id: number;
  callId: string;
  direction: string;
  type: string;
  fromNumber: string;
  toNumber: string;
  ourNumber: string | null;
  agentId: number | null;
  calleeAgentId: number | null;
  answeredAt: string | null;
  endedAt: string | null;
  talkSeconds: number;
  endReason: string | null;
  hangupCause: number | null;
  hasRecording: boolean;
  ivrPath: {
    ivrId: number;
    name: string;
    via: string;
    rule?: number;
    key?: string;
    reason?: string;
  }[];
  voicemailId: number | null;
}

/** The newest call-history row, once the call it records has ended. */
export async function lastCall(server: TelephonyServer, previous = 0): Promise<HistoryRow> {
  let row: HistoryRow | undefined;
  await until(
    async () => {
      const res = await server.request('GET', '/api/v1/call-history?limit=1', {
        token: server.adminToken,
      });
      const page = res.json() as { items: HistoryRow[]; total: number };
      row = page.items[0];
      return page.total > previous && row?.endedAt !== null && row !== undefined;
    },
    15_000,
    'the call to be written down',
  );
  if (row === undefined) throw new Error('no call');
  return row;
}

/** The agents who had a call's customer, in order (the history detail's chain). */
export async function handlersOf(
  server: TelephonyServer,
  historyId: number,
): Promise<{ agentId: number | null; via: string }[]> {
  const res = await server.request('GET', `/api/v1/call-history/${historyId}`, {
    token: server.adminToken,
  });
  return (res.json() as { agents: { agentId: number | null; via: string }[] }).agents.map(
    ({ agentId, via }) => ({ agentId, via }),
  );
}

export function unreachable(): never {
  throw new Error('unreachable');
}

export interface Carrier {
  trunkId: number;
  /** The carrier's SIP port on 127.0.0.2 (its own address, so the trunk is told apart by IP). */
  port: number;
  /** The carrier takes the next call(s) sent to it. */
  answer(options?: Omit<SippOptions, 'localPort' | 'localIp'>): Promise<SippRun>;
  /** A customer calls one of our numbers through the carrier. */
  call(
    did: string,
    from: string,
    scenario?: string,
    options?: Omit<SippOptions, 'remote' | 'service' | 'localIp'>,
  ): Promise<SippRun>;
}

export const CARRIER_IP = '127.0.0.2';

export async function carrier(
  server: TelephonyServer,
  name = 'carrier1',
  fields: Record<string, unknown> = {},
): Promise<Carrier> {
  const port = await freePortBlock(1);
  const res = await server.request('POST', '/api/v1/trunks', {
    token: server.adminToken,
    body: { name, host: CARRIER_IP, port, ...fields },
  });
  if (res.statusCode !== 201) throw new Error(`trunk: ${res.statusCode} ${res.body}`);
  return {
    trunkId: (res.json() as { id: number }).id,
    port,
    answer: (options = {}) =>
      runSipp('carrier-answer.xml', {
        localIp: CARRIER_IP,
        localPort: port,
        timeoutSeconds: 60,
        ...options,
      }),
    call: (did, from, scenario = 'caller.xml', options = {}) =>
      runSipp(scenario, {
        remote: server.sip.address,
        localIp: CARRIER_IP,
        service: did,
        timeoutSeconds: 60,
        ...options,
        vars: { from_user: from, ...options.vars },
      }),
  };
}

/** A DID, optionally routed and usable by agents as their caller ID. */
export async function did(
  server: TelephonyServer,
  number: string,
  fields: Record<string, unknown> = {},
): Promise<number> {
  const res = await server.request('POST', '/api/v1/phone-numbers', {
    token: server.adminToken,
    body: { number, name: `DID ${number}`, ...fields },
  });
  if (res.statusCode !== 201) throw new Error(`phone number: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** Lets the agent call out with the number, and makes it their caller ID. */
export async function callOutWith(
  server: TelephonyServer,
  agentId: number,
  phoneNumberId: number,
): Promise<void> {
  const res = await server.request('PUT', `/api/v1/agents/${agentId}/phone-numbers`, {
    token: server.adminToken,
    body: { phoneNumberIds: [phoneNumberId], callerId: phoneNumberId },
  });
  if (res.statusCode !== 200) throw new Error(`caller id: ${res.statusCode} ${res.body}`);
}

/** The first SIP request of a kind in a message trace, e.g. the INVITE the carrier received. */
export function firstRequest(messages: string, method: string): string | undefined {
  const blocks = messages.split(/^-{10,}.*$/m);
  return blocks.find((b) => new RegExp(`^${method} sip:`, 'm').test(b));
}

/** When SIPp sent or received the first `method` request (from its -trace_msg timestamps). */
export function requestTime(messages: string, method: string): number | undefined {
  let stamp: number | undefined;
  for (const line of messages.split('\n')) {
    const header = /^-+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)/.exec(line);
    if (header?.[1] !== undefined) stamp = Date.parse(header[1].replace(' ', 'T').slice(0, 23));
    else if (line.startsWith(`${method} sip:`)) return stamp;
  }
  return undefined;
}
