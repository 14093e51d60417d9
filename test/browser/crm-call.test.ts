/**
 * CRM自動検索 (§8-1) with a real Asterisk: a saved customer calls a DID routed to the agent's
 * group. The agent's pop-up names the customer (#C…, name, 業務); with CRM自動検索 turned on in
 * 固有設定, the next call from the number opens the customer's detail by itself.
 */
import { join } from 'node:path';
import t from 'tap';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { agentWithPhone, answer, carrier, did } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

const CUSTOMER = '0398765432';
const DID = '0503330000';

t.test('the customer of an incoming call', async (t) => {
  await buildWebApp();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  const agentId = op1.agentId ?? 0;
  const admin = async <T>(method: 'POST' | 'GET', url: string, body?: unknown): Promise<T> => {
    const res = await server.request(method, url, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  const group = await admin<{ id: number }>('POST', '/api/v1/groups', {
    name: '受付',
    extension: '801',
    members: [{ agentId }],
  });
  const trunk = await carrier(server);
  await did(server, DID, { route: { type: 'group', groupId: group.id } });
  const format = await admin<{ id: number }>('POST', '/api/v1/business-formats', {
    name: '受付業務',
    agentIds: [agentId],
  });
  const customer = await admin<{ id: number; displayId: string }>('POST', '/api/v1/customers', {
    formatId: format.id,
    name: '鈴木一郎',
    phones: [CUSTOMER],
  });

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const agent = await loggedInPage(browser, server.baseUrl, {
    loginId: 'op1',
    password: 'Operator1',
  });
  const ringAndAnswer = async () => {
    const phone = answer(op1, 'phone-answer.xml', {
      vars: { answer_delay: 2000, hangup_after: 2000 },
    });
    const caller = await trunk.call(DID, CUSTOMER, 'caller.xml', {
      vars: { hold: 20_000 },
      timeoutSeconds: 60,
    });
    t.teardown(() => caller.kill());
    return { phone, caller };
  };

  await t.test('the pop-up names the customer', async (t) => {
    await agent.goto(`${server.baseUrl}/#/desk`);
    await agent.click('[data-testid=choose-available]');
    const { phone } = await ringAndAnswer();
    const customers = agent.locator('[data-testid=incoming-popup] [data-testid=popup-customers]');
    await customers.waitFor({ timeout: 15_000 });
    t.equal(
      await customers.locator('a').textContent(),
      `${customer.displayId} 鈴木一郎 (受付業務)`,
      'its ID, name and format',
    );
    t.match(agent.url(), /#\/desk$/, 'CRM自動検索 is off: the desk stays');
    await agent.screenshot({ path: join(SCREENSHOTS, 'crm-popup-ja.png'), fullPage: true });
    t.equal((await (await phone).done).code, 0, 'the call was answered and hung up');
  });

  await t.test('with CRM自動検索 on, the customer opens by itself', async (t) => {
    await agent.goto(`${server.baseUrl}/#/personal`);
    await agent.check('[data-testid=popup-preferences] input[name=crmAutoSearch]');
    await agent.click('[data-testid=save-popups]');
    await agent.locator('[data-testid=toast]', { hasText: '変更を保存しました' }).waitFor();
    await agent.goto(`${server.baseUrl}/#/desk`);
    const { phone } = await ringAndAnswer();
    await agent.waitForURL(new RegExp(`#/crm/customers/${customer.id}$`), { timeout: 15_000 });
    const detail = agent.locator('[data-testid=customer-detail]');
    await detail.locator('input[name=name]').waitFor();
    t.equal(await detail.locator('input[name=name]').inputValue(), '鈴木一郎');
    await agent.screenshot({ path: join(SCREENSHOTS, 'crm-auto-search-ja.png'), fullPage: true });
    t.equal((await (await phone).done).code, 0, 'the call was answered and hung up');
  });
});
