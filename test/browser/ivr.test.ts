/**
 * IVR (§11-3) in Chromium against a real server:
 * - an administrator builds an IVR on its screen: 標準ルーティング to a group; 予約 ON with two
 *   rules (HH:MM, weekday boxes and ★, a destination each), the second moved up; 指定日 and a
 *   holiday calendar; ボタンルーティング ON with the menu's audio file and keys 1, 2, 0, # to a
 *   group, another IVR, voicemail and an extension — the server has exactly that;
 * - the list shows 予約 / ボタン ON;
 * - a rule removed is gone after the save;
 * - a DID routed to the IVR from the phone-number screen;
 * - refusals in the server's words: buttons ON without a menu; a loop names its cycle;
 * - holiday calendars made on their screen, one in use kept; the editor in English.
 */
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp } from '../support/app.js';
import { toneWav, uploadAudio } from '../support/audio.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

t.test('IVR editor', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const post = async (url: string, body: unknown) => {
    const res = await server.request('POST', url, { token: server.adminToken, body });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: number };
  };
  const group = await post('/api/v1/groups', { name: '受付G', extension: '801' });
  const menu = await uploadAudio(
    { baseUrl, adminToken: server.adminToken },
    'メニュー',
    toneWav(8000, 1, 1),
  );
  const afterHours = await post('/api/v1/ivrs', {
    name: '時間外',
    defaultRoute: { type: 'voicemail', audioFileId: menu.id },
  });
  const calendar = await post('/api/v1/holiday-calendars', {
    name: '祝日',
    dates: ['2027-01-01'],
  });

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const page = await loggedInPage(browser, baseUrl, { loginId: 'admin', password: ADMIN_PASSWORD });
  const problem = page.locator('[data-testid=ivr-problem]');
  const toast = page.locator('[data-testid=toast]');
  let ivrId = 0;

  await t.test('an IVR built on its screen', async (t) => {
    await page.click('[data-tab=admin]');
    await page.locator('[data-testid=pages] a', { hasText: 'IVR' }).click();
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '受付');
    await page.selectOption('select[name="defaultRoute.type"]', 'group');
    await page.selectOption('select[name="defaultRoute.target"]', String(group.id));

    await page.check('input[name="schedule.enabled"]');
    await page.click('[data-testid=add-rule]');
    await page.selectOption('select[name="rule.0.destination.type"]', 'group');
    await page.selectOption('select[name="rule.0.destination.target"]', String(group.id));
    await page.click('[data-testid=add-rule]');
    await page.fill('input[name="rule.1.from"]', '18:00');
    await page.fill('input[name="rule.1.to"]', '09:00');
    for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'])
      await page.uncheck(`input[name="rule.1.${day}"]`);
    await page.check('input[name="rule.1.sat"]');
    await page.check('input[name="rule.1.sun"]');
    await page.check('input[name="rule.1.star"]');
    await page.selectOption('select[name="rule.1.destination.type"]', 'ivr');
    await page.selectOption('select[name="rule.1.destination.target"]', String(afterHours.id));
    await page.click('[data-testid=rule-up-2]');
    t.equal(
      await page.locator('[data-rule="1"] input[name="rule.0.from"]').inputValue(),
      '18:00',
      'the second rule is first now',
    );
    t.equal(
      await page.locator('[data-testid=rules] li').first().locator('strong').textContent(),
      '1番',
    );

    for (const date of ['2026-12-31', '2026-12-30']) {
      await page.fill('input[name=newDate]', date);
      await page.click('[data-testid=add-date]');
    }
    t.same(
      await page.evaluate(
        "[...document.querySelectorAll('[data-testid=dates] li')].map((li) => li.dataset.date)",
      ),
      ['2026-12-30', '2026-12-31'],
      'the dates, sorted',
    );
    await page.selectOption('select[name="schedule.holidayCalendarId"]', String(calendar.id));

    await page.check('input[name="buttons.enabled"]');
    await page.selectOption('select[name="buttons.menuAudioFileId"]', String(menu.id));
    await page.selectOption('select[name="key.1.type"]', 'group');
    await page.selectOption('select[name="key.1.target"]', String(group.id));
    await page.selectOption('select[name="key.2.type"]', 'ivr');
    await page.selectOption('select[name="key.2.target"]', String(afterHours.id));
    await page.selectOption('select[name="key.0.type"]', 'voicemail');
    await page.selectOption('select[name="key.0.target"]', String(menu.id));
    await page.selectOption('select[name="key.#.type"]', 'extension');
    await page.fill('input[name="key.#.extension"]', '201');
    await page.fill('input[name="buttons.noInputSeconds"]', '7');
    await page.fill('input[name="buttons.attempts"]', '2');
    await page.screenshot({ path: join(SCREENSHOTS, 'ivr-editor-ja.png'), fullPage: true });
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    await page.waitForFunction(String.raw`/^#\/admin\/ivrs\/\d+$/.test(location.hash)`);
    ivrId = Number(((await page.evaluate('location.hash')) as string).split('/').pop());

    const stored = await server.request('GET', `/api/v1/ivrs/${ivrId}`, {
      token: server.adminToken,
    });
    t.match(
      stored.json(),
      {
        name: '受付',
        defaultRoute: { type: 'group', groupId: group.id },
        schedule: {
          enabled: true,
          rules: [
            {
              from: '18:00',
              to: '09:00',
              weekdays: ['sat', 'sun'],
              specifiedDates: true,
              destination: { type: 'ivr', ivrId: afterHours.id },
            },
            {
              from: '09:00',
              to: '18:00',
              weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
              specifiedDates: false,
              destination: { type: 'group', groupId: group.id },
            },
          ],
          specifiedDates: ['2026-12-30', '2026-12-31'],
          holidayCalendarId: calendar.id,
        },
        buttons: {
          enabled: true,
          menuAudioFileId: menu.id,
          keys: {
            '1': { type: 'group', groupId: group.id },
            '2': { type: 'ivr', ivrId: afterHours.id },
            '0': { type: 'voicemail', audioFileId: menu.id },
            '#': { type: 'extension', extension: '201' },
          },
          noInputSeconds: 7,
          attempts: 2,
        },
      },
      'the server has the IVR as built',
    );
    t.same(
      Object.keys((stored.json() as { buttons: { keys: object } }).buttons.keys).sort(),
      ['#', '0', '1', '2'],
      'no other key',
    );
  });

  await t.test('the list; a rule removed', async (t) => {
    await page.goto(`${baseUrl}/#/admin/ivrs`);
    const row = page.locator(`[data-testid=ivrs] tr[data-ivr="${ivrId}"]`);
    await row.waitFor();
    t.equal(await row.locator('[data-col=schedule]').textContent(), 'ON');
    t.equal(await row.locator('[data-col=buttons]').textContent(), 'ON');
    t.equal(
      await page
        .locator(`[data-testid=ivrs] tr[data-ivr="${afterHours.id}"] [data-col=buttons]`)
        .textContent(),
      'OFF',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'ivrs-ja.png'), fullPage: true });
    await row.locator('a').click();
    await page.locator('[data-testid=rules] li').nth(1).waitFor();
    await page.click('[data-testid=rule-remove-1]');
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    const stored = (
      await server.request('GET', `/api/v1/ivrs/${ivrId}`, { token: server.adminToken })
    ).json() as { schedule: { rules: { from: string }[] } };
    t.same(
      stored.schedule.rules.map((r) => r.from),
      ['09:00'],
      'one rule left',
    );
  });

  await t.test('a DID routed to the IVR on the phone-number screen', async (t) => {
    await page.goto(`${baseUrl}/#/admin/phone-numbers`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=number]', '0503330000');
    await page.fill('input[name=name]', '代表');
    await page.selectOption('select[name="route.type"]', 'ivr');
    await page.selectOption('select[name="route.ivrId"]', String(ivrId));
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    const numbers = (
      await server.request('GET', '/api/v1/phone-numbers?number=0503330000', {
        token: server.adminToken,
      })
    ).json() as { items: { route: unknown }[] };
    t.same(numbers.items[0]?.route, { type: 'ivr', ivrId }, 'the DID sends its calls to the IVR');
  });

  await t.test('refusals in the server’s words', async (t) => {
    await page.goto(`${baseUrl}/#/admin/ivrs/${afterHours.id}`);
    await page.check('input[name="buttons.enabled"]');
    await page.click('[data-testid=save]');
    await problem.filter({ hasText: 'Button routing needs a prompt' }).waitFor();
    t.pass('buttons ON without a menu');
    await page.uncheck('input[name="buttons.enabled"]');
    await page.selectOption('select[name="defaultRoute.type"]', 'ivr');
    await page.selectOption('select[name="defaultRoute.target"]', String(ivrId));
    await page.click('[data-testid=save]');
    await problem.filter({ hasText: 'ループになります' }).waitFor();
    t.equal(
      await problem.textContent(),
      'ループになります: IVR 時間外 → IVR 受付 → IVR 時間外',
      'the cycle named',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'ivr-loop-ja.png'), fullPage: true });
    const unchanged = (
      await server.request('GET', `/api/v1/ivrs/${afterHours.id}`, { token: server.adminToken })
    ).json() as { defaultRoute: unknown };
    t.same(unchanged.defaultRoute, { type: 'voicemail', audioFileId: menu.id }, 'nothing changed');
  });

  await t.test('holiday calendars: made on their screen; one in use is kept', async (t) => {
    await page.locator('[data-testid=pages] a', { hasText: '休日カレンダー' }).click();
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '年末年始');
    for (const date of ['2027-01-02', '2026-12-31', '2027-01-01']) {
      await page.fill('input[name=newDate]', date);
      await page.click('[data-testid=add-date]');
    }
    await page.click('[data-testid=remove-date-2027-01-02]');
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    await page.waitForFunction(
      String.raw`/^#\/admin\/holiday-calendars\/\d+$/.test(location.hash)`,
    );
    const list = (
      await server.request('GET', '/api/v1/holiday-calendars', { token: server.adminToken })
    ).json() as { items: { name: string; dates: string[] }[] };
    t.same(
      list.items.find((c) => c.name === '年末年始')?.dates,
      ['2026-12-31', '2027-01-01'],
      'the server has its dates, sorted',
    );
    await page.goto(`${baseUrl}/#/admin/holiday-calendars`);
    const row = page.locator('[data-testid=holiday-calendars] tr', { hasText: '年末年始' });
    await row.waitFor();
    t.equal(await row.locator('[data-col=dates]').textContent(), '2', 'its day count');
    await page.screenshot({ path: join(SCREENSHOTS, 'holiday-calendars-ja.png'), fullPage: true });

    await page.goto(`${baseUrl}/#/admin/holiday-calendars/${calendar.id}`);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-yes]');
    const refused = page.locator('[data-testid=calendar-problem]');
    await refused.waitFor();
    t.equal(await refused.textContent(), '使用中: IVR 受付', 'the IVR that uses it is named');
  });

  await t.test('the IVR editor in English', async (t) => {
    await page.selectOption('select[name=language]', 'en');
    await page.goto(`${baseUrl}/#/admin/ivrs/${ivrId}`);
    await page.locator('h3', { hasText: 'Button routing' }).waitFor();
    t.equal(
      await page.locator('[data-rule="1"] strong').textContent(),
      'Rule 1',
      'the rule numbered in English',
    );
    t.same(
      await page.locator('[data-rule="1"] .weekdays label').allTextContents(),
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', '★'],
      'the weekday boxes',
    );
    t.equal(
      await page.locator('select[name="key.0.type"] option:checked').textContent(),
      'Voicemail',
      'the destination types',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'ivr-editor-en.png'), fullPage: true });
    await page.selectOption('select[name=language]', 'ja');
  });
});
