/**
 * The agent's desk and the supervisor's realtime screen in two browsers, with a real Asterisk,
 * a SIPp desk phone and a SIPp carrier:
 * - the agent's status change shows on the supervisor's board, and the supervisor's forced change
 *   on the agent's status bar, at once (the feed);
 * - a dropped feed is shown, recovered, and live again;
 * - a customer calling a DID routed to the group waits (the supervisor's group table counts it),
 *   then rings the agent, whose pop-up shows the caller's number and the DID's message; with the
 *   agent's 着信/応答ポップアップ on (固有設定), the DID's URLs open in one tab of their own and
 *   a desktop notification shows;
 * - the agent parks the call from the phone panel, both screens list it, and the agent picks it
 *   up again (コールバック): their phone rings and has the customer back.
 */
import { join } from 'node:path';
import t from 'tap';
import { createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { agentWithPhone, answer, carrier, did, until } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

const CUSTOMER = '0312345678';
const DID = '0501110000';

t.test('the desk and the realtime screen, live', async (t) => {
  await buildWebApp();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  const agentId = op1.agentId ?? 0;
  const op2 = await agentWithPhone(server, 'op2', '202', { password: 'Operator2' });
  const otherId = op2.agentId ?? 0;
  await createAgent(server, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
  const breakStatus = await server.request('POST', '/api/v1/agent-statuses', {
    token: server.adminToken,
    body: { name: '休憩', backgroundColor: '#6a1b9a' },
  });
  const breakId = (breakStatus.json() as { id: number }).id;
  const group = await server.request('POST', '/api/v1/groups', {
    token: server.adminToken,
    body: { name: '受付', extension: '801', members: [{ agentId }] },
  });
  const groupId = (group.json() as { id: number }).id;
  const trunk = await carrier(server);
  await did(server, DID, {
    route: { type: 'group', groupId },
    incomingMessage: '新規のお客様です',
    incomingPopupUrl: 'https://crm.example/customers?tel=@@@@',
    answerPopupUrl: 'https://crm.example/answered?tel=@@@@',
  });

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const agent = await loggedInPage(browser, server.baseUrl, {
    loginId: 'op1',
    password: 'Operator1',
  });
  const sv = await loggedInPage(browser, server.baseUrl, {
    loginId: 'sv1',
    password: 'Supervis1',
  });
  await sv.goto(`${server.baseUrl}/#/supervisor/realtime`);
  const myStatus = agent.locator('[data-testid=my-status] .status');
  const boardStatus = sv.locator(`[data-testid=agent-board] tr[data-agent="${agentId}"] .status`);

  await t.test('status changes show on the other screen at once', async (t) => {
    await myStatus.filter({ hasText: '待機' }).waitFor();
    await boardStatus.filter({ hasText: '待機' }).waitFor();
    await agent.click(`[data-testid=choose-status-${breakId}]`);
    await boardStatus.filter({ hasText: '休憩' }).waitFor({ timeout: 5000 });
    t.equal(await myStatus.textContent(), '休憩', 'the agent’s own bar');
    t.equal(await boardStatus.textContent(), '休憩', 'the supervisor’s board');
    await sv.screenshot({ path: join(SCREENSHOTS, 'realtime-ja.png'), fullPage: true });

    await sv
      .locator(`[data-testid=agent-board] tr[data-agent="${agentId}"] select`)
      .selectOption('available');
    await myStatus.filter({ hasText: '待機' }).waitFor({ timeout: 5000 });
    t.pass('the supervisor’s forced change reached the agent’s bar');
  });

  await t.test('a dropped feed is shown and recovers with fresh state', async (t) => {
    for (const socket of server.app.websocketServer.clients) socket.terminate();
    await agent.locator('[data-testid=connection-lost]').waitFor({ timeout: 5000 });
    await sv.locator('[data-testid=connection-lost]').waitFor({ timeout: 5000 });
    // Changed while the screens are away: they must learn it from the fresh snapshot.
    await server.request('PUT', `/api/v1/agents/${agentId}/status`, {
      token: server.adminToken,
      body: { status: 'paused', customStatusId: breakId },
    });
    await agent
      .locator('[data-testid=connection-lost]')
      .waitFor({ state: 'detached', timeout: 15_000 });
    await sv
      .locator('[data-testid=connection-lost]')
      .waitFor({ state: 'detached', timeout: 15_000 });
    await boardStatus.filter({ hasText: '休憩' }).waitFor({ timeout: 5000 });
    await myStatus.filter({ hasText: '休憩' }).waitFor({ timeout: 5000 });
    t.pass('both screens show the change made while they were disconnected');
    await agent.click('[data-testid=choose-available]');
    await boardStatus.filter({ hasText: '待機' }).waitFor({ timeout: 5000 });
    t.pass('and are live again');
  });

  await t.test('presence follows a colleague’s status; chat reaches the floor', async (t) => {
    await agent.click('[data-app=presence]');
    const colleague = agent.locator(`[data-testid=presence] li[data-agent="${otherId}"]`);
    await colleague.locator('.status', { hasText: '待機' }).waitFor({ timeout: 5000 });
    t.match(await colleague.locator('.who').textContent(), '202(op2)', 'extension(nickname)');
    await server.request('PUT', `/api/v1/agents/${otherId}/status`, {
      token: server.adminToken,
      body: { status: 'paused', customStatusId: breakId },
    });
    await colleague.locator('.status', { hasText: '休憩' }).waitFor({ timeout: 5000 });
    t.pass('op1’s presence panel shows op2 on a break at once');
    await agent.screenshot({ path: join(SCREENSHOTS, 'desk-presence-ja.png'), fullPage: true });

    await agent.click('[data-app=chat]');
    await agent.fill('textarea[name=chatBody]', '折り返しお願いします #C3');
    await agent.click('[data-testid=chat] button[type=submit]');
    await sv.click('[data-app=chat]');
    const received = sv.locator('[data-testid=chat-messages] li', {
      hasText: '折り返しお願いします',
    });
    await received.waitFor({ timeout: 5000 });
    t.match(
      await received.locator('.from').textContent(),
      'op1',
      'the supervisor reads it, from op1',
    );
    await sv.screenshot({ path: join(SCREENSHOTS, 'chat-ja.png'), fullPage: true });
    await agent.click('[data-app=phone]');
  });

  await t.test('the agent turns on pop-ups and notifications (固有設定)', async (t) => {
    // The browser's notifications, recorded: what the page asked to show is what is checked.
    await agent.context().addInitScript(`
      window.shownNotifications = [];
      // Called with new by the page: a plain function records its arguments.
      window.Notification = function (title, options) {
        window.shownNotifications.push({ title, body: options && options.body });
      };
      window.Notification.permission = 'granted';
      window.Notification.requestPermission = () => Promise.resolve('granted');
    `);
    await agent.reload();
    await agent.click('[data-tab=personal]');
    const form = agent.locator('[data-testid=popup-preferences]');
    await form.locator('input[name=popupOnIncoming]').check();
    await form.locator('input[name=popupOnAnswer]').check();
    await form.locator('input[name=notifyExternalCalls]').check();
    await form.locator('select[name=popupWindow]').selectOption('same_tab');
    await agent.click('[data-testid=save-popups]');
    await agent.getByText('変更を保存しました').first().waitFor({ timeout: 5000 });
    const me = await server.request('GET', `/api/v1/agents/${agentId}`, {
      token: server.adminToken,
    });
    t.match(
      me.json(),
      {
        popupOnIncoming: true,
        popupOnAnswer: true,
        popupWindow: 'same_tab',
        notifyExternalCalls: true,
        notifyInternalCalls: false,
      },
      'stored as the agent’s settings',
    );
    await agent.screenshot({ path: join(SCREENSHOTS, 'personal-popups-ja.png'), fullPage: true });
    await agent.click('[data-tab=desk]');
    await agent.click('[data-app=phone]');
  });

  await t.test('a customer waits, then rings the agent: the pop-up', async (t) => {
    // The CRM the DID's URLs point at: whatever the agent's tab asks of it is answered here.
    const crmVisits: string[] = [];
    await agent.context().route('https://crm.example/**', (route) => {
      crmVisits.push(route.request().url());
      return route.fulfill({ contentType: 'text/html', body: '<title>CRM</title>' });
    });
    const crmTab = agent.context().waitForEvent('page', { timeout: 20_000 });
    await agent.click('[data-testid=choose-paused]');
    await boardStatus.filter({ hasText: '停止' }).waitFor({ timeout: 5000 });
    const customer = await trunk.call(DID, CUSTOMER, 'caller.xml', {
      vars: { hold: 60_000 },
      timeoutSeconds: 120,
    });
    t.teardown(() => customer.kill());
    const waiting = sv.locator(
      `[data-testid=group-table] tr[data-group="${groupId}"] [data-col=waiting]`,
    );
    await waiting.filter({ hasText: /^1$/ }).waitFor({ timeout: 10_000 });
    t.pass('the supervisor sees the caller waiting');
    await sv.screenshot({ path: join(SCREENSHOTS, 'realtime-waiting-ja.png'), fullPage: true });

    const phone = answer(op1, 'phone-answer.xml', { vars: { answer_delay: 3000 } });
    await agent.click('[data-testid=choose-available]');
    const popup = agent.locator('[data-testid=incoming-popup]');
    await popup.waitFor({ timeout: 10_000 });
    t.equal(await popup.locator('[data-testid=popup-from]').textContent(), `${CUSTOMER} `);
    t.equal(await popup.locator('[data-testid=popup-message]').textContent(), '新規のお客様です');
    t.equal(
      await popup.locator('[data-testid=popup-url]').getAttribute('href'),
      `https://crm.example/customers?tel=${CUSTOMER}`,
      'the DID’s pop-up URL with the caller’s number for @@@@',
    );
    t.match(await popup.locator('h3').textContent(), /呼出中/, 'while it rings');
    await agent.screenshot({ path: join(SCREENSHOTS, 'desk-popup-ja.png'), fullPage: true });
    const tab = await crmTab;
    await tab.waitForURL(`https://crm.example/answered?tel=${CUSTOMER}`, { timeout: 15_000 });
    await popup.locator('h3', { hasText: '通話中' }).waitFor({ timeout: 10_000 });
    t.pass('answered on the desk phone');
    t.same(
      crmVisits,
      [
        `https://crm.example/customers?tel=${CUSTOMER}`,
        `https://crm.example/answered?tel=${CUSTOMER}`,
      ],
      '着信ポップアップ then 応答ポップアップ opened the DID’s URLs, once each',
    );
    t.equal(agent.context().pages().length, 2, '全て同じタブで開く: both in the one CRM tab');
    t.same(
      await agent.evaluate('window.shownNotifications'),
      [{ title: `${CUSTOMER}から着信`, body: '新規のお客様です' }],
      'one desktop notification for the outside call',
    );
    await tab.close();
    await waiting.filter({ hasText: /^0$/ }).waitFor({ timeout: 5000 });

    await t.test('park from the phone panel, pick up from the park list', async (t) => {
      await agent.click('[data-testid=park]');
      const parkedHere = agent.locator('[data-testid=park-list] tr[data-slot="9001"]');
      await parkedHere.waitFor({ timeout: 10_000 });
      t.match(await parkedHere.textContent(), CUSTOMER, 'the agent’s park list');
      await sv.goto(`${server.baseUrl}/#/desk`);
      await sv.locator('[data-testid=park-list] tr[data-slot="9001"]').waitFor({ timeout: 5000 });
      t.pass('the supervisor’s park list too (park is shared)');
      t.equal((await (await phone).done).code, 0, 'the agent’s phone was hung up once parked');
      await agent
        .locator('[data-testid=current-call]', { hasText: '通話なし' })
        .waitFor({ timeout: 5000 });
      t.pass('the phone panel has no call: the parked call is no longer the agent’s');
      await agent.screenshot({ path: join(SCREENSHOTS, 'desk-parked-ja.png'), fullPage: true });

      const again = answer(op1, 'phone-answer.xml', { vars: { answer_delay: 500 } });
      await agent.click('[data-testid=pick-up-9001]');
      await parkedHere.waitFor({ state: 'detached', timeout: 15_000 });
      await agent
        .locator('[data-testid=current-call]', { hasText: '通話中' })
        .waitFor({ timeout: 10_000 });
      t.pass('the agent has the customer back');
      await agent.click('[data-testid=hang-up]');
      t.equal((await (await again).done).code, 0, 'the agent’s phone got the hang-up');
      t.equal((await customer.done).code, 0, 'the customer got the BYE');
      await until(
        async () =>
          (await agent.locator('[data-testid=current-call]').textContent()) === '通話なし',
        5000,
        'the panel to show no call',
      );
    });

    await t.test('the call in the history; a supervisor plays its recording', async (t) => {
      await agent.click('[data-tab=history]');
      const mine = agent.locator('[data-testid=call-history] tbody tr', { hasText: CUSTOMER });
      await mine.first().waitFor({ timeout: 10_000 });
      t.equal(
        await mine.first().locator('button').count(),
        0,
        'the agent sees their call, without call_history.audio no playback',
      );
      await agent.screenshot({ path: join(SCREENSHOTS, 'history-agent-ja.png'), fullPage: true });

      await sv.click('[data-tab=history]');
      const row = sv.locator('[data-testid=call-history] tbody tr', { hasText: CUSTOMER });
      const play = row.first().locator('button');
      // The recording is listed once Asterisk has closed its file (the call's end).
      await until(
        async () => {
          if ((await play.count()) > 0) return true;
          await sv.click('form.search button[type=submit]');
          return false;
        },
        15_000,
        'the recording to be listed',
      );
      await play.click();
      await sv.locator('[data-testid=recording-player]').waitFor();
      const seconds = await sv.waitForFunction(
        `(() => { const a = document.querySelector('[data-testid=recording-player]');
           return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : false; })()`,
      );
      t.ok(Number(await seconds.jsonValue()) > 1, 'the recording plays in the page, seconds long');
      await sv.screenshot({ path: join(SCREENSHOTS, 'history-sv-ja.png'), fullPage: true });
    });
  });
});
