/**
 * The supervisor's group detail screen (§10-1) with a real Asterisk, SIPp phones and one browser:
 * - the answer-rate chart is drawn (Chart.js, loaded lazily) from the detail read for the hours
 *   chosen, and its current bucket takes the answered call live from the feed;
 * - a customer calling a DID routed to the group while no agent is free is listed waiting, the
 *   wait ticking; the supervisor makes the agent available from the screen, the agent's desk
 *   phone answers and the agent shows on a call, the pie counting them so;
 * - 監視 (monitor) rings the supervisor's own phone, which gets the session; the session shows
 *   and its stop button ends it (the supervisor's phone gets the BYE, the agent's call goes on);
 * - a skill level edit is stored; the screen renders in Japanese and English (screenshots).
 */
import { join } from 'node:path';
import t from 'tap';
import { createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { agentWithPhone, answer, carrier, did, phoneFor, until } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';
import { advance, roll, type Bucket } from '../../web/src/screens/supervisor/answer-buckets.js';

const CUSTOMER = '0312340000';
const DID = '0501112222';

t.test('the chart’s buckets follow the counters and the clock', async (t) => {
  const at = (min: number) => Date.parse('2025-03-15T01:00:00Z') + min * 60_000;
  const empty = (min: number): Bucket => ({
    start: new Date(at(min)).toISOString(),
    calls: 0,
    answered: 0,
    abandoned: 0,
    answerRate: null,
  });
  const buckets = [empty(0), empty(5), empty(10)];
  const seen = { calls: 4, answered: 3, abandoned: 1 };
  const grown = advance(buckets, seen, { calls: 6, answered: 4, abandoned: 1 }, at(12));
  t.match(grown?.at(-1), { calls: 2, answered: 1, answerRate: 50 }, 'what grew, in now’s bucket');
  const later = advance(buckets, seen, { calls: 5, answered: 4, abandoned: 1 }, at(16));
  t.same(
    later?.map((b) => [b.start, b.answered]),
    [
      [empty(5).start, 0],
      [empty(10).start, 0],
      [empty(15).start, 1],
    ],
    'past a boundary: the window moved on, same length, the call in the new bucket',
  );
  t.equal(advance(buckets, seen, { ...seen, calls: 0 }, at(12)), null, 'counters went down');
  t.equal(roll(buckets, at(14)), buckets, 'no boundary passed: the same buckets');
});

t.test('the group detail screen: waiting call, agent on a call, monitoring, skill', async (t) => {
  await buildWebApp();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const agentId = op1.agentId ?? 0;
  const svId = await createAgent(server, {
    loginId: 'sv1',
    password: 'Supervis1',
    role: 'supervisor',
    extension: '210',
  });
  const svPhone = await phoneFor(server, svId, '210', 'desk210');
  const group = await server.request('POST', '/api/v1/groups', {
    token: server.adminToken,
    body: { name: '受付', extension: '801', members: [{ agentId }] },
  });
  const groupId = (group.json() as { id: number }).id;
  const trunk = await carrier(server);
  await did(server, DID, { route: { type: 'group', groupId } });
  await server.request('PUT', `/api/v1/agents/${agentId}/status`, {
    token: server.adminToken,
    body: { status: 'paused' },
  });

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const sv = await loggedInPage(browser, server.baseUrl, { loginId: 'sv1', password: 'Supervis1' });
  const asked: string[] = [];
  sv.on('request', (r) => {
    if (r.url().includes(`/api/v1/stats/realtime/groups/${groupId}`)) asked.push(r.url());
  });
  await sv.goto(`${server.baseUrl}/#/supervisor/realtime`);
  await sv.click(`[data-testid=group-table] tr[data-group="${groupId}"] a`);
  const chart = sv.locator('[data-testid=answer-rate-chart]');
  await chart.and(sv.locator('[data-drawn=true]')).waitFor({ timeout: 10_000 });
  t.equal(await chart.getAttribute('data-buckets'), '36', '3 hours of 5-minute buckets');
  t.ok((await chart.locator('canvas').boundingBox())?.height, 'the chart has a canvas');
  t.match(asked, [/hours=3$/], 'the detail was read for 3 hours, once');
  const row = sv.locator(`[data-testid=group-agents] tr[data-agent="${agentId}"]`);
  await row.locator('.status', { hasText: '停止' }).waitFor();

  const customer = await trunk.call(DID, CUSTOMER, 'caller.xml', {
    vars: { hold: 90_000 },
    timeoutSeconds: 150,
  });
  t.teardown(() => customer.kill());
  const waiting = sv.locator('[data-testid=waiting-calls] tbody tr', { hasText: CUSTOMER });
  await waiting.waitFor({ timeout: 10_000 });
  const waited = waiting.locator('[data-col=waited]');
  const first = await waited.textContent();
  await until(async () => (await waited.textContent()) !== first, 3000, 'the wait to tick');
  t.pass(`the waiting call is listed, its wait ticking (${first} → ${await waited.textContent()})`);
  await sv.screenshot({ path: join(SCREENSHOTS, 'group-detail-waiting-ja.png'), fullPage: true });

  const desk = answer(op1, 'phone-answer.xml', {
    vars: { answer_delay: 1000 },
    timeoutSeconds: 150,
  });
  await row.locator('select').selectOption('available');
  await row.locator('.status', { hasText: '通話中' }).waitFor({ timeout: 15_000 });
  t.pass('made available from the screen, the agent answered and shows on a call');
  await sv.locator('[data-testid=waiting-calls]', { hasText: '待ち呼はありません' }).waitFor();
  t.match(
    await sv.locator('[data-testid=status-pie] li[data-slice=on_call]').textContent(),
    /通話中\s*1/,
    'the pie counts the agent on a call',
  );
  await until(
    async () => (await chart.getAttribute('data-answered')) === '1',
    5000,
    'the answered call in the live bucket',
  );
  t.equal(asked.length, 1, 'the chart’s current bucket took the answered call from the feed');

  await t.test('monitor from the screen: the supervisor’s phone, the session, stop', async (t) => {
    const ear = answer(svPhone, 'phone-answer.xml', { timeoutSeconds: 60 });
    await row.locator(`[data-testid=listen-${agentId}]`).click();
    const session = sv.locator('[data-testid=monitoring-sessions] li[data-mode=listen]');
    await session.and(sv.locator('[data-status=active]')).waitFor({ timeout: 15_000 });
    t.match(await session.textContent(), 'op1', 'the session shows, on op1, active');
    await sv.screenshot({
      path: join(SCREENSHOTS, 'group-detail-monitoring-ja.png'),
      fullPage: true,
    });
    await session.locator('button').click();
    await session.waitFor({ state: 'detached', timeout: 10_000 });
    const run = await (await ear).done;
    t.equal(run.code, 0, 'the supervisor’s phone answered the snoop');
    t.match(run.messages, /BYE sip:/, 'and got the BYE when stopped');
    t.equal(
      await row.locator('.status').first().textContent(),
      '通話中',
      'the agent’s call goes on',
    );
  });

  await t.test('the skill level is stored', async (t) => {
    await row.locator(`input[name=skill-${agentId}]`).fill('5');
    await row.locator(`[data-testid=save-skill-${agentId}]`).click();
    await sv.locator('[data-testid=toast]', { hasText: '変更を保存しました' }).waitFor();
    const members = await server.request('GET', `/api/v1/groups/${groupId}/members`, {
      token: server.adminToken,
    });
    t.match((members.json() as { items: unknown[] }).items, [{ agentId, skillLevel: 5 }]);
  });

  await t.test('6 hours: read again, the answered call in its bucket; English', async (t) => {
    await sv.selectOption('select[name=hours]', '6');
    await chart.and(sv.locator('[data-buckets="72"]')).waitFor({ timeout: 5000 });
    t.match(asked.at(-1), /hours=6$/, 'the detail was read for 6 hours');
    t.equal(await chart.getAttribute('data-answered'), '1', 'the server’s buckets have the call');
    await sv.screenshot({ path: join(SCREENSHOTS, 'group-detail-ja.png'), fullPage: true });
    await sv.selectOption('select[name=language]', 'en');
    await sv.locator('h3', { hasText: 'Answer rate every 5 minutes' }).waitFor();
    t.match(await row.textContent(), /On a call.*Monitor/, 'the agent row in English');
    await sv.screenshot({ path: join(SCREENSHOTS, 'group-detail-en.png'), fullPage: true });
  });

  const calls = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
  for (const c of (calls.json() as { items: { id: string }[] }).items)
    await server.request('POST', `/api/v1/calls/${c.id}/hangup`, { token: server.adminToken });
  t.equal((await customer.done).code, 0, 'the customer got the BYE');
  t.equal((await (await desk).done).code, 0, 'the agent’s phone too');
});
