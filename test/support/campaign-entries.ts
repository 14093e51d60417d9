/**
 * For the autodial-list tests: a JSON client over a test app, and campaigns written straight
 * into the app's database (the campaigns API is tested on its own).
 */
import { eq } from 'drizzle-orm';
import { campaignEntries, campaignResults, campaigns } from '../../src/campaigns/schema.js';
import type { TestApp } from './app.js';

export type Res = { statusCode: number; body: string; json(): unknown };

export interface Entry {
  id: number;
  campaign: { id: number; name: string };
  customer: { id: number; displayId: string; name: string; formatId: number } | null;
  phone: string;
  result: { key: string; label: string; kind: string };
  callCount: number;
  lastDialedAt: string | null;
  lastAgent: { id: number; name: string } | null;
  reservedAt: string | null;
  assignee: { id: number; name: string } | null;
  remarks: string;
  status: string;
  phase: string;
  choices?: { key: string; label: string; kind: string }[];
}

export interface AddReport {
  added: number;
  skipped: number;
  noPhone: number;
  alreadyWaiting: number;
}

export function client(app: TestApp, token?: string) {
  const tk = token ?? app.adminToken;
  return {
    get: (url: string) => app.request('GET', `/api/v1${url}`, { token: tk }),
    post: (url: string, body?: unknown) =>
      app.request('POST', `/api/v1${url}`, { token: tk, body: body ?? {} }),
    patch: (url: string, body: unknown) =>
      app.request('PATCH', `/api/v1${url}`, { token: tk, body }),
    delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token: tk }),
  };
}

export async function ok<T>(res: Promise<Res>, status = 200): Promise<T> {
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return done.json() as T;
}

/** A campaign with its own results (`番号,テキスト` lines). */
export function insertCampaign(
  app: TestApp,
  name: string,
  results: readonly [number, string][] = [],
): number {
  const db = app.database.db;
  const at = new Date('2026-04-01T00:00:00Z');
  const row = db
    .insert(campaigns)
    .values({ name, createdAt: at, createdBy: 'test', updatedAt: at, updatedBy: 'test' })
    .returning()
    .get();
  results.forEach(([number, text], position) =>
    db.insert(campaignResults).values({ campaignId: row.id, number, text, position }).run(),
  );
  return row.id;
}

/** What the dialer engine would write: a result, a count, a live call. */
export function engineSets(
  app: TestApp,
  entryId: number,
  values: Partial<typeof campaignEntries.$inferInsert>,
): void {
  app.database.db.update(campaignEntries).set(values).where(eq(campaignEntries.id, entryId)).run();
}

export async function customer(
  app: TestApp,
  body: { name: string; phones?: string[]; formatId?: number; fields?: Record<string, unknown> },
): Promise<{ id: number; displayId: string }> {
  return ok(client(app).post('/customers', body), 201);
}

export async function tokenOf(app: TestApp, loginId: string): Promise<string> {
  const res = await app.login(loginId, 'Secret123');
  return (res.json() as { token: string }).token;
}
