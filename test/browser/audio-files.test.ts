/**
 * 音声ファイル (§11-6) in Chromium against a real server (with the real sox):
 * - a 44.1 kHz stereo WAV uploaded on the list screen is converted, and the screen says how;
 *   an 8 kHz mono one is stored as it is; a file that is not audio is refused in the server's
 *   words, nothing stored;
 * - the list's columns (名称, 秒数, 留守電, 更新);
 * - the detail plays the stored audio in the page, replaces it (the length changes), and turns
 *   留守電 and 通知メール on with an address (the server has them);
 * - deleting a file an IVR plays is refused naming the IVR; an unused one is deleted.
 */
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp } from '../support/app.js';
import { toneWav } from '../support/audio.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface AudioFile {
  id: number;
  name: string;
  seconds: number;
  voicemail: boolean;
  notifyByEmail: boolean;
  notifyAddress: string | null;
}

t.test('audio files', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const files = async () =>
    (
      (await server.request('GET', '/api/v1/audio-files', { token: server.adminToken })).json() as {
        items: AudioFile[];
      }
    ).items;

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const page = await loggedInPage(browser, baseUrl, { loginId: 'admin', password: ADMIN_PASSWORD });
  const form = page.locator('[data-testid=audio-upload]');
  const upload = async (name: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
    await form.locator('input[name=name]').fill(name);
    await form.locator('input[name=file]').setInputFiles(file);
    await form.locator('[data-testid=upload]').click();
  };

  await t.test('uploads: converted, kept, refused', async (t) => {
    await page.click('[data-tab=admin]');
    await page.locator('[data-testid=pages] a', { hasText: '音声ファイル' }).click();
    await upload('ガイダンス', {
      name: 'guide.wav',
      mimeType: 'audio/wav',
      buffer: toneWav(44100, 2, 2),
    });
    const report = page.locator('[data-testid=upload-report]');
    await report.waitFor();
    t.match(
      await report.textContent(),
      'ガイダンス: 変換しました: 44100 Hz → 8000 Hz, stereo → mono',
      'what the conversion changed',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'audio-upload-ja.png'), fullPage: true });

    await upload('留守電', { name: 'vm.wav', mimeType: 'audio/wav', buffer: toneWav(8000, 1, 1) });
    await report.filter({ hasText: '留守電: そのまま保存しました' }).waitFor();
    t.pass('a telephone WAV is stored as it is');

    await upload('文書', {
      name: 'notes.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from('this is not audio at all, only words'),
    });
    const problem = page.locator('[data-testid=upload-problem]');
    await problem.waitFor();
    t.equal(
      await problem.textContent(),
      'The file is neither a WAV nor an MP3 audio file',
      'the server’s reason',
    );
    t.same(
      (await files()).map((f) => f.name).sort(),
      ['ガイダンス', '留守電'].sort(),
      'nothing stored for it',
    );

    const rows = page.locator('[data-testid=audio-files] tbody tr');
    await rows.nth(1).waitFor();
    t.same(
      await page.locator('[data-testid=audio-files] thead th').allTextContents(),
      ['名称', '秒数', '留守電', '更新'],
      'the columns',
    );
    const guide = rows.filter({ hasText: 'ガイダンス' });
    t.equal(await guide.locator('[data-col=seconds]').textContent(), '2.0');
    t.equal(await guide.locator('[data-col=voicemail]').textContent(), 'OFF');
  });

  const guide = (await files()).find((f) => f.name === 'ガイダンス');
  const voicemail = (await files()).find((f) => f.name === '留守電');

  await t.test('the detail: playback, replacement, voicemail and mail', async (t) => {
    await page.locator('[data-testid=audio-files] a', { hasText: '留守電' }).click();
    await page.locator('[data-testid=play-audio]').click();
    const duration = () =>
      page.waitForFunction(
        `(() => { const a = document.querySelector('[data-testid=audio-player]');
           return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : false; })()`,
      );
    t.ok(Math.abs(Number(await (await duration()).jsonValue()) - 1) < 0.1, 'plays its 1 second');

    await page
      .locator('input[name=replacement]')
      .setInputFiles({ name: 'long.wav', mimeType: 'audio/wav', buffer: toneWav(16000, 1, 3) });
    await page.click('[data-testid=replace]');
    await page
      .locator('[data-testid=replace-report]', { hasText: '変換しました: 16000 Hz → 8000 Hz' })
      .waitFor();
    t.equal(
      await page.locator('[data-testid=audio-seconds]').textContent(),
      '3.0',
      '3 seconds now',
    );
    await page.locator('[data-testid=play-audio]').click();
    t.ok(
      Math.abs(Number(await (await duration()).jsonValue()) - 3) < 0.1,
      'and plays the new audio',
    );

    await page.check('input[name=voicemail]');
    await page.check('input[name=notifyByEmail]');
    await page.click('[data-testid=save]');
    await page
      .locator('[data-testid=audio-problem]', { hasText: 'notification address' })
      .waitFor();
    t.pass('mail without an address is refused in the server’s words');
    await page.fill('input[name=notifyAddress]', 'desk@example.com');
    await page.click('[data-testid=save]');
    await page.locator('[data-testid=toast]', { hasText: '変更を保存しました' }).waitFor();
    const stored = (await files()).find((f) => f.id === voicemail?.id);
    t.match(
      stored,
      { voicemail: true, notifyByEmail: true, notifyAddress: 'desk@example.com', seconds: 3 },
      'the server has the settings and the new audio',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'audio-detail-ja.png'), fullPage: true });
  });

  await t.test('a group greets with an uploaded file; a DID speaks English prompts', async (t) => {
    const group = await server.request('POST', '/api/v1/groups', {
      token: server.adminToken,
      body: { name: '案内グループ' },
    });
    const groupId = (group.json() as { id: number }).id;
    await page.goto(`${baseUrl}/#/admin/groups/${groupId}`);
    await page.selectOption('select[name=greetingAudioFileId]', String(guide?.id));
    const groupSaved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/groups/${groupId}`) && r.request().method() === 'PATCH',
    );
    await page.click('[data-testid=save]');
    t.equal((await groupSaved).status(), 200, 'saved');
    const saved = await server.request('GET', `/api/v1/groups/${groupId}`, {
      token: server.adminToken,
    });
    t.match(saved.json(), { greetingAudioFileId: guide?.id }, 'the group greets with the file');

    const number = await server.request('POST', '/api/v1/phone-numbers', {
      token: server.adminToken,
      body: { number: '0501112222', name: '英語窓口' },
    });
    const numberId = (number.json() as { id: number }).id;
    await page.goto(`${baseUrl}/#/admin/phone-numbers/${numberId}`);
    // The detail form's, not the interface's own language switch.
    await page.selectOption('form:has([data-testid=save]) select[name=language]', 'en');
    const numberSaved = page.waitForResponse(
      (r) =>
        r.url().endsWith(`/api/v1/phone-numbers/${numberId}`) && r.request().method() === 'PATCH',
    );
    await page.click('[data-testid=save]');
    const numberResponse = await numberSaved;
    t.equal(numberResponse.status(), 200, await numberResponse.text());
    const did = await server.request('GET', `/api/v1/phone-numbers/${numberId}`, {
      token: server.adminToken,
    });
    t.match(did.json(), { language: 'en' }, 'its callers hear English system prompts');
    await server.request('PATCH', `/api/v1/groups/${groupId}`, {
      token: server.adminToken,
      body: { greetingAudioFileId: null },
    });
  });

  await t.test('a file in use is not deleted; an unused one is', async (t) => {
    const ivr = await server.request('POST', '/api/v1/ivrs', {
      token: server.adminToken,
      body: { name: '受付', buttons: { enabled: true, menuAudioFileId: guide?.id } },
    });
    t.equal(ivr.statusCode, 201, 'an IVR plays the guide');
    await page.goto(`${baseUrl}/#/admin/audio-files/${guide?.id}`);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-yes]');
    const problem = page.locator('[data-testid=audio-problem]');
    await problem.waitFor();
    t.equal(await problem.textContent(), '使用中: IVR 受付', 'names who plays it');
    t.equal((await files()).length, 2, 'still there');

    await page.goto(`${baseUrl}/#/admin/audio-files/${voicemail?.id}`);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-yes]');
    await page.waitForFunction("location.hash === '#/admin/audio-files'");
    await page.locator('[data-testid=audio-files] tbody tr').first().waitFor();
    t.same(
      await page.locator('[data-testid=audio-files] [data-col=name]').allTextContents(),
      ['ガイダンス'],
      'the list has the other one only',
    );
  });

  await t.test('system prompts: replaced per language, and back to the default', async (t) => {
    const prompt = async () =>
      (
        (
          await server.request('GET', '/api/v1/system-prompts', { token: server.adminToken })
        ).json() as {
          items: {
            name: string;
            replacements: Record<'ja' | 'en', { audioFileId: number } | null>;
          }[];
        }
      ).items.find((p) => p.name === 'voicemail_instructions');
    await page.locator('[data-testid=pages] a', { hasText: 'システム音声' }).click();
    const row = page.locator('[data-testid=system-prompts] tr[data-prompt=voicemail_instructions]');
    await row.waitFor();
    t.match(
      await row.locator('[data-col=text]').textContent(),
      '発信音の後にメッセージをお話し下さい。',
      'what it says in Japanese',
    );
    t.equal(await row.locator('[data-col=defaultSounds]').textContent(), 'vm-intro');
    await row.locator('select[name="voicemail_instructions.ja"]').selectOption(String(guide?.id));
    await page.locator('[data-testid=toast]', { hasText: '変更を保存しました' }).last().waitFor();
    await row.locator('[data-testid=restore-voicemail_instructions-ja]').waitFor();
    t.match(
      (await prompt())?.replacements,
      { ja: { audioFileId: guide?.id }, en: null },
      'the Japanese prompt is the guide now, the English one the default',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'system-prompts-ja.png'), fullPage: true });
    await row.locator('[data-testid=restore-voicemail_instructions-ja]').click();
    await row
      .locator('[data-testid=restore-voicemail_instructions-ja]')
      .waitFor({ state: 'detached' });
    t.equal(
      await row.locator('select[name="voicemail_instructions.ja"]').inputValue(),
      '',
      'the select says 既定',
    );
    t.same((await prompt())?.replacements, { ja: null, en: null }, 'the server restored it');
  });
});
