/**
 * What the outbound tests (campaigns, AMD, ログイン mode, MOT autocall) share on a real floor: a
 * campaign made over the API as an administrator would, its ON / OFF, its entries as stored, the
 * carrier that answers or not by number, and agents' phones that answer whatever they are sent.
 */
import { eq } from 'drizzle-orm';
import { campaignEntries } from '../../src/campaigns/schema.js';
import { CARRIER_IP, type Carrier, type Phone } from './floor.js';
import { runSipp, type SippRun } from './sipp.js';
import type { TelephonyServer } from './telephony.js';

export type EntryRow = typeof campaignEntries.$inferSelect;
type Teardown = (fn: () => void) => void;

/** A campaign with its members and entries (bare numbers), made over the API. */
export async function campaignWith(
  server: TelephonyServer,
  fields: Record<string, unknown> & { name: string },
  memberIds: number[],
  phones: string[],
): Promise<number> {
  const token = server.adminToken;
  const res = await server.request('POST', '/api/v1/campaigns', {
    token,
    body: { ...fields, memberIds },
  });
  if (res.statusCode !== 201) throw new Error(`campaign: ${res.statusCode} ${res.body}`);
  const id = res.json<{ id: number }>().id;
  for (const phone of phones) {
    const entry = await server.request('POST', `/api/v1/campaigns/${id}/entries`, {
      token,
      body: { phone },
    });
    if (entry.statusCode !== 201) throw new Error(`entry: ${entry.statusCode} ${entry.body}`);
  }
  return id;
}

/** ステータス ON / OFF, as a supervisor switches it. */
export async function switchCampaign(
  server: TelephonyServer,
  campaignId: number,
  enabled: boolean,
): Promise<void> {
  const res = await server.request('PUT', `/api/v1/campaigns/${campaignId}/status`, {
    token: server.adminToken,
    body: { enabled },
  });
  if (res.statusCode !== 200) throw new Error(`status: ${res.statusCode} ${res.body}`);
}

export function entriesOf(server: TelephonyServer, campaignId: number): EntryRow[] {
  return server.database.db
    .select()
    .from(campaignEntries)
    .where(eq(campaignEntries.campaignId, campaignId))
    .all();
}

/**
 * The carrier takes every call it is sent for the test's length, as its scenario says by number
 * (carrier-by-number.xml: busy, rings out, declines, answers and hangs up after `hangup_after`).
 */
export async function carrierTaking(
  teardown: Teardown,
  trunk: Carrier,
  vars: Record<string, number>,
  scenario = 'carrier-by-number.xml',
): Promise<SippRun> {
  const run = await runSipp(scenario, {
    localIp: CARRIER_IP,
    localPort: trunk.port,
    timeoutSeconds: 300,
    calls: 1000,
    vars,
    extraArgs: ['-deadcall_wait', '0'],
  });
  teardown(() => run.kill());
  return run;
}

/** A phone that answers every call it gets until the test ends; its log tells what it was sent. */
export async function answering(teardown: Teardown, phone: Phone): Promise<SippRun> {
  const run = await runSipp('phone-answer-many.xml', {
    localPort: phone.port,
    timeoutSeconds: 300,
    calls: 1000,
  });
  teardown(() => run.kill());
  return run;
}

/** The INVITEs a SIPp run's message log shows it was sent. */
export const invitesIn = (messages: string): number =>
  messages.split('\n').filter((line) => line.startsWith('INVITE sip:')).length;
