/**
 * 留守電履歴 (§9-3) in Chromium against a real server. Messages cannot be left without a phone
 * here, so they are written into the server's database as the recorder keeps them (row and
 * audio), after two real uploaded audio files with voicemail on:
 * - the menu entry; the list's columns (日時, 発信者番号, 秒数, 音声ファイル, mail status);
 * - search by caller, by From / To date and by audio file;
 * - playback in the page of the message's own audio (its length is the WAV's);
 * - a message arriving on the `voicemails` topic shows without a reload;
 * - bulk delete asks first, then the rows and the server's messages are gone;
 * - 通話履歴 shows each call's way through IVRs and a 留守電 mark that plays the message.
 */
import { join } from 'node:path';
import t from 'tap';
import { callHistory } from '../../src/calls/schema.js';
import { voicemailAudio, voicemails } from '../../src/voicemail/schema.js';
import { ADMIN_PASSWORD, buildTestApp } from '../support/app.js';
import { toneWav, uploadAudio } from '../support/audio.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

t.test('voicemail history', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const api = { baseUrl, adminToken: server.adminToken };
  const fileA = await uploadAudio(api, '時間外留守電', toneWav(8000, 1, 1), { voicemail: 'true' });
  const fileB = await uploadAudio(api, '休日留守電', toneWav(8000, 1, 1), { voicemail: 'true' });

  /** A message as the recorder keeps it: its row and its audio (`seconds` of tone). */
  const leave = (
    fromNumber: string,
    receivedAt: string,
    file: { id: number; name: string },
    seconds: number,
    mail: { mailStatus: 'none' | 'sent'; mailTo: string | null } = {
      mailStatus: 'none',
      mailTo: null,
    },
  ) => {
    const row = server.database.db
      .insert(voicemails)
      .values({
        callId: `call-${fromNumber}`,
        receivedAt: new Date(receivedAt),
        fromNumber,
        toNumber: '0501110000',
        audioFileId: file.id,
        audioFileName: file.name,
        seconds,
        ...mail,
      })
      .returning()
      .get();
    server.database.db
      .insert(voicemailAudio)
      .values({ voicemailId: row.id, wav: toneWav(8000, 1, seconds) })
      .run();
    return row;
  };
  const a = { id: fileA.id, name: '時間外留守電' };
  const b = { id: fileB.id, name: '休日留守電' };
  const first = leave('0311112222', '2026-11-01T03:00:00Z', a, 3, {
    mailStatus: 'sent',
    mailTo: 'desk@example.com',
  });
  leave('0322223333', '2026-11-20T03:00:00Z', b, 2);
  leave('09044445555', '2026-11-21T03:00:00Z', a, 4);

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const page = await loggedInPage(browser, baseUrl, {
    loginId: 'admin',
    password: ADMIN_PASSWORD,
  });
  const rows = page.locator('[data-testid=voicemails] tbody tr');
  const callers = () => rows.locator('[data-col=from]').allTextContents();

  await t.test('the list, from the menu', async (t) => {
    await page.click('[data-tab=history]');
    await page.locator('[data-testid=pages] a', { hasText: '留守電履歴' }).click();
    await rows.nth(2).waitFor();
    t.same(
      await page.locator('[data-testid=voicemails] thead th').allTextContents(),
      ['', '日時', '発信者番号', '秒数', '再生', '音声ファイル', '通知メール'],
      'the columns',
    );
    t.same(
      (await callers()).map((c) => c.trim()),
      ['09044445555', '0322223333', '0311112222'],
      'newest first',
    );
    const oldest = page.locator(`tr[data-voicemail="${first.id}"]`);
    t.equal(await oldest.locator('[data-col=seconds]').textContent(), '3');
    t.equal(await oldest.locator('[data-col=audioFile]').textContent(), '時間外留守電');
    t.equal(await oldest.locator('[data-col=mailStatus]').textContent(), '送信済み');
    t.match(await oldest.locator('[data-col=receivedAt]').textContent(), '2026/11/01');
    await page.screenshot({ path: join(SCREENSHOTS, 'voicemails-ja.png'), fullPage: true });
  });

  await t.test('search by caller, dates and audio file', async (t) => {
    const search = async (fill: () => Promise<unknown>, expected: string[], what: string) => {
      await fill();
      await page.click('form.search button[type=submit]');
      await page.waitForFunction(
        `document.querySelectorAll('[data-testid=voicemails] tbody tr').length === ${expected.length}`,
      );
      t.same(
        (await callers()).map((c) => c.trim()),
        expected,
        what,
      );
    };
    await search(() => page.fill('input[name=caller]', '1111'), ['0311112222'], 'part of a number');
    await page.fill('input[name=caller]', '');
    await search(
      () => page.fill('input[name=from]', '2026-11-20'),
      ['09044445555', '0322223333'],
      'From',
    );
    await search(() => page.fill('input[name=to]', '2026-11-20'), ['0322223333'], 'From and To');
    await page.fill('input[name=from]', '');
    await page.fill('input[name=to]', '');
    await search(
      () => page.selectOption('select[name=audioFileId]', String(fileA.id)),
      ['09044445555', '0311112222'],
      'the audio file',
    );
    await search(
      () => page.selectOption('select[name=audioFileId]', ''),
      ['09044445555', '0322223333', '0311112222'],
      'all again',
    );
  });

  await t.test('a message plays in the page', async (t) => {
    await page.click(`[data-testid=play-${first.id}]`);
    const seconds = await page.waitForFunction(
      `(() => { const a = document.querySelector('[data-testid=voicemail-player]');
         return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : false; })()`,
    );
    t.ok(
      Math.abs(Number(await seconds.jsonValue()) - 3) < 0.1,
      'the player has the message’s 3 seconds',
    );
  });

  await t.test('the call history: IVR path and the 留守電 mark', async (t) => {
    const call = (callId: string, ivrPath: unknown, voicemailId: number | null) =>
      server.database.db
        .insert(callHistory)
        .values({
          callId,
          direction: 'inbound',
          type: 'inbound_missed',
          fromNumber: '0311112222',
          toNumber: '0501110000',
          startedAt: new Date('2026-11-01T02:59:00Z'),
          endedAt: new Date('2026-11-01T03:01:00Z'),
          ivrPath: ivrPath as never,
          voicemailId,
        })
        .run();
    call(
      first.callId,
      [
        { ivrId: 1, name: '受付', via: 'key', key: '2' },
        { ivrId: 2, name: '時間外', via: 'rule', rule: 1 },
      ],
      first.id,
    );
    call('call-default', [{ ivrId: 1, name: '受付', via: 'default', reason: 'no_input' }], null);
    await page.locator('[data-testid=pages] a', { hasText: '通話履歴' }).click();
    const withMessage = page.locator(`[data-testid=call-history] tr[data-call="${first.callId}"]`);
    await withMessage.waitFor();
    t.equal(
      await withMessage.locator('[data-testid=ivr-path]').textContent(),
      'IVR 受付 → キー2 → IVR 時間外 → ルール1',
      'the key, then the rule',
    );
    t.equal(
      await page
        .locator('[data-testid=call-history] tr[data-call="call-default"] [data-testid=ivr-path]')
        .textContent(),
      'IVR 受付 → 標準ルーティング(入力なし)',
      'the default, with its reason',
    );
    t.equal(
      await page
        .locator('[data-testid=call-history] tr[data-call="call-default"] .voicemail-mark')
        .count(),
      0,
      'no mark without a message',
    );
    await withMessage.locator(`[data-testid=voicemail-${first.id}]`).click();
    const seconds = await page.waitForFunction(
      `(() => { const a = document.querySelector('[data-testid=voicemail-player]');
         return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : false; })()`,
    );
    t.ok(
      Math.abs(Number(await seconds.jsonValue()) - 3) < 0.1,
      'the mark plays the 3-second message',
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'history-ivr-voicemail-ja.png'),
      fullPage: true,
    });
    await page.locator('[data-testid=pages] a', { hasText: '留守電履歴' }).click();
    await rows.nth(2).waitFor();
  });

  await t.test('a new message shows at once', async (t) => {
    const row = leave('0366667777', '2026-11-22T03:00:00Z', b, 5);
    server.hub.publish('voicemails', 'voicemail_received', {
      voicemail: {
        ...row,
        receivedAt: row.receivedAt.toISOString(),
      },
    });
    await page.locator(`tr[data-voicemail="${row.id}"]`).waitFor({ timeout: 5000 });
    t.equal((await callers())[0]?.trim(), '0366667777', 'at the top, without a reload');
    await page
      .locator('[data-testid=toast]', { hasText: '新しい留守電: 0366667777' })
      .waitFor({ timeout: 5000 });
    t.pass('and told');
  });

  await t.test('bulk delete asks first', async (t) => {
    await rows.nth(0).locator('input[type=checkbox]').check();
    await rows.nth(1).locator('input[type=checkbox]').check();
    await page.click('[data-testid=bulk-delete]');
    t.match(await page.locator('[data-testid=confirm]').textContent(), '2件を削除します');
    await page.screenshot({ path: join(SCREENSHOTS, 'voicemails-delete-ja.png'), fullPage: true });
    await page.click('[data-testid=confirm-yes]');
    await page.locator('[data-testid=toast]', { hasText: '2件を削除しました' }).waitFor();
    await page.waitForFunction(
      "document.querySelectorAll('[data-testid=voicemails] tbody tr').length === 2",
    );
    t.same(
      (await callers()).map((c) => c.trim()),
      ['0322223333', '0311112222'],
      'the two newest are gone',
    );
    const left = await server.request('GET', '/api/v1/voicemails', { token: server.adminToken });
    t.equal((left.json() as { total: number }).total, 2, 'and gone from the server');
  });
});
