/**
 * 自動発信 (MOT autocall, A.23) on the operator's claim screen, on a fake Asterisk moved by a fake
 * clock: with 切断時のオートコール = しない the operator starts a session (通常), the status line
 * follows the feed — dialling the first customer, busy (不応答) with the next one named — the row
 * fills in 不応答 and its 架電日時; [次へ] dials the next, who answers (応答 — 通話中, the row 済);
 * [自動発信停止] stops the session.
 */
import { join } from 'node:path';
import t from 'tap';
import { buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { fakeAsterisk } from '../support/fake-asterisk.js';
import { fakeClock } from '../support/fake-clock.js';

const PHONES = ['0311110001', '0311110002', '0311110003'];

t.test('自動発信 on the claim screen', async (t) => {
  await buildWebApp();
  const clock = fakeClock(new Date('2026-12-01T01:00:00Z'));
  const asterisk = fakeAsterisk(clock);
  const server = await buildTestApp({ clock, asterisk: asterisk.gateway });
  t.teardown(server.close);
  asterisk.gateway.start();
  await asterisk.settle();
  const api = async (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) => {
    const res = await server.request(method, `/api/v1${url}`, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: number };
  };
  const agentId = await createAgent(server, {
    loginId: 'op1',
    password: 'Operator1',
    extension: '201',
  });
  await api('POST', '/terminals', { sipUser: 'desk201', name: 'Desk 201', agentId });
  asterisk.register('desk201');
  await api('POST', '/trunks', { name: 'carrier1', host: '127.0.0.2', port: 5070 });
  const did = await api('POST', '/phone-numbers', { number: '0312340000', name: 'DID' });
  await api('PUT', `/agents/${agentId}/phone-numbers`, {
    phoneNumberIds: [did.id],
    callerId: did.id,
  });
  await api('POST', '/call-lists', {
    name: '自動発信リスト',
    distribute: true,
    customers: PHONES.map((phone, i) => ({
      company: `株式会社${i + 1}`,
      address1: `新宿区西新宿1-1-${i + 1}`,
      prefecture: '東京都',
      phone,
    })),
  });
  await api('PATCH', '/call-lists/settings', { autocallOnHangup: 'off' });
  asterisk.phone('PJSIP/desk201', { answerAfterMs: 100 });
  asterisk.phone(`PJSIP/${PHONES[0]}`, { busy: true });
  asterisk.phone(`PJSIP/${PHONES[1]}`, { answerAfterMs: 300 });
  await asterisk.settle();
  const after = async (ms: number) => {
    for (let i = 0; i < ms / 100; i += 1) {
      await asterisk.settle();
      clock.advance(100);
      await asterisk.settle();
    }
  };

  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const op = await loggedInPage(browser, baseUrl, { loginId: 'op1', password: 'Operator1' });
  await op.goto(`${baseUrl}/#/crm/call-list-claim`);
  await op.click('[data-testid=claim]');
  const rows = op.locator('[data-testid=held] tbody tr.held-row');
  await rows.nth(2).waitFor();
  const status = op.locator('[data-testid=autocall-status]');
  await status.filter({ hasText: '自動発信は停止中です' }).waitFor();
  t.match(
    await op.locator('[data-testid=autocall-setting]').textContent(),
    /切断時のオートコール: しない/,
    'the setting is shown',
  );
  t.same(
    await op.locator('select[name=autocallMode] option').allTextContents(),
    ['通常', '再架電'],
    'two modes',
  );

  await op.click('[data-testid=autocall-start]');
  await status.filter({ hasText: `株式会社1（${PHONES[0]}）に発信中` }).waitFor();
  t.pass('dialling the first customer');
  await after(1000);
  await status.filter({ hasText: '株式会社1: 不応答 — 次: 株式会社2' }).waitFor();
  t.pass('busy is 不応答, the next one is named');
  await op.locator('[data-testid=autocall-next]').waitFor();
  const first = rows.nth(0);
  // The row fills in from the feed: poll its select until it says so (or the test times out).
  for (let i = 0; i < 50; i += 1) {
    if ((await first.locator('select[name=result]').inputValue()) === 'no_answer') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(await first.locator('select[name=result]').inputValue(), 'no_answer', 'row: 不応答');
  t.not(await first.locator('input[name=calledAt]').inputValue(), '', 'with its 架電日時');
  t.equal(await first.locator('[data-testid=done]').count(), 0, 'not 済 under 応答のみ');
  await after(3000);
  t.equal(
    asterisk.log.filter((l) => l === `dial PJSIP/${PHONES[1]}`).length,
    0,
    'しない: nothing is dialled by itself',
  );
  await op.screenshot({ path: join(SCREENSHOTS, 'autocall-waiting-ja.png'), fullPage: true });

  await op.click('[data-testid=autocall-next]');
  await status.filter({ hasText: `株式会社2（${PHONES[1]}）に発信中` }).waitFor();
  await after(1000);
  await status.filter({ hasText: '株式会社2: 応答 — 通話中' }).waitFor();
  t.pass('the second customer answered');
  await op.locator('[data-testid=autocall-counts]').filter({ hasText: '応答 1件' }).waitFor();
  await op.screenshot({ path: join(SCREENSHOTS, 'autocall-talking-ja.png'), fullPage: true });

  await op.click('[data-testid=autocall-stop]');
  await status.filter({ hasText: '自動発信を停止しました（停止）' }).waitFor();
  await op.locator('[data-testid=autocall-start]').waitFor();
  t.pass('stopped; 開始 is offered again');
  // The conversation goes on after stop; the customer hangs up, and the row is 応答 and 済.
  const channel = asterisk.channels().find((c) => c.name.startsWith(`PJSIP/${PHONES[1]}-`));
  asterisk.hangUp(channel?.id ?? '');
  await after(500);
  await op.reload();
  await rows.nth(1).locator('[data-testid=done]').waitFor();
  t.equal(await rows.nth(1).locator('select[name=result]').inputValue(), 'answered', 'row: 応答');
  t.equal(
    asterisk.log.filter((l) => l === `dial PJSIP/${PHONES[2]}`).length,
    0,
    'the third was never dialled',
  );
  await op.screenshot({ path: join(SCREENSHOTS, 'autocall-stopped-ja.png'), fullPage: true });
});
