/**
 * A floor on a fake Asterisk for the race tests: the whole server (every service, the real engine
 * and routing) moved by a fake clock, with agents op1, op2 … at extensions 201, 202 … and one
 * registered desk phone each (desk201 …).
 */
import type { Test } from 'tap';
import type { HubEvent } from '../../src/platform/realtime/hub.js';
import { buildTestApp, createAgent, type TestApp } from './app.js';
import { fakeAsterisk, type FakeAsterisk } from './fake-asterisk.js';
import { fakeClock, type FakeClock } from './fake-clock.js';

export interface Floor {
  server: TestApp;
  asterisk: FakeAsterisk;
  clock: FakeClock;
  feed: HubEvent[];
  /** Moves the clock and lets every event and reaction run. */
  after(ms: number): Promise<void>;
  /** The one history row (the test makes one call). */
  row(): Promise<{ endReason: string | null; answeredAt: string | null; endedAt: string | null }>;
}

export async function floor(t: Test, agents: string[]): Promise<Floor> {
  const clock = fakeClock(new Date('2026-12-01T01:00:00Z'));
  const asterisk = fakeAsterisk(clock);
  const server = await buildTestApp({ clock, asterisk: asterisk.gateway });
  t.teardown(server.close);
  const feed: HubEvent[] = [];
  server.hub.subscribe((event) => feed.push(event));
  asterisk.gateway.start();
  await asterisk.settle();
  for (const [i, loginId] of agents.entries()) {
    const extension = String(201 + i);
    const agentId = await createAgent(server, { loginId, extension, password: 'Secret123' });
    const res = await server.request('POST', '/api/v1/terminals', {
      token: server.adminToken,
      body: { sipUser: `desk${extension}`, name: `Desk ${extension}`, agentId },
    });
    t.equal(res.statusCode, 201, `desk${extension} provisioned`);
    asterisk.register(`desk${extension}`);
    t.equal((await server.login(loginId, 'Secret123')).statusCode, 200, `${loginId} logged in`);
  }
  await asterisk.settle();
  const after = async (ms: number) => {
    await asterisk.settle();
    clock.advance(ms);
    await asterisk.settle();
  };
  const row = async () => {
    const res = await server.request('GET', '/api/v1/call-history?limit=5', {
      token: server.adminToken,
    });
    const page = res.json() as { items: Awaited<ReturnType<Floor['row']>>[] };
    t.equal(page.items.length, 1, 'one call written down');
    return page.items[0] ?? { endReason: null, answeredAt: null, endedAt: null };
  };
  return { server, asterisk, clock, feed, after, row };
}
