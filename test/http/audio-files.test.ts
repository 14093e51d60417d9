/**
 * /audio-files and /system-prompts over HTTP, with the real sox: uploads stored as they are or
 * converted (and saying so), every refusal with its reason and nothing stored, downloads, the
 * 409 that names a file's users, and the signed media URL Asterisk fetches (ETag, 304, HEAD,
 * forged or superseded names 404).
 */
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { createMediaUrls } from '../../src/audio/media-urls.js';
import { createSecretBox } from '../../src/platform/secrets.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { multipartBody, toneWav } from '../support/audio.js';

const KEY = randomBytes(32);
const MAX_BYTES = 200_000;

interface AudioFile {
  id: number;
  name: string;
  seconds: number;
  bytes: number;
  source: string;
  converted: boolean;
  changes: string[];
  voicemail: boolean;
  notifyByEmail: boolean;
  notifyAddress: string | null;
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

let app: TestApp;
t.before(async () => {
  app = await buildTestApp({
    env: {
      SECRETS_KEY: KEY.toString('base64'),
      AUDIO_MAX_BYTES: String(MAX_BYTES),
      AUDIO_MAX_SECONDS: '5',
    },
  });
});
t.teardown(() => app.close());

async function upload(
  fields: Record<string, string>,
  bytes: Buffer | null,
  method: 'POST' | 'PUT' = 'POST',
  url = '/api/v1/audio-files',
) {
  const form = await multipartBody(
    fields,
    bytes === null ? undefined : { name: 'upload.wav', type: 'audio/wav', bytes },
  );
  return app.request(method, url, {
    token: app.adminToken,
    body: form.body,
    headers: { 'content-type': form.contentType },
  });
}

const get = (url: string) => app.request('GET', url, { token: app.adminToken });
const total = async () => (await get('/api/v1/audio-files')).json() as { total: number };

t.test('a telephone WAV is stored as it is; another WAV is converted, saying how', async (t) => {
  const plain = await upload({ name: '業務A', voicemail: 'false' }, toneWav(8000, 1, 1.5));
  t.equal(plain.statusCode, 201, plain.body);
  const stored = plain.json() as AudioFile;
  t.match(stored, {
    name: '業務A',
    converted: false,
    changes: [],
    source: 'WAV 8000 Hz mono 16-bit',
    voicemail: false,
  });
  t.ok(Math.abs(stored.seconds - 1.5) < 0.01, `1.5 s stored (${stored.seconds})`);

  const cd = await upload({ name: '営業時間外' }, toneWav(44100, 2, 1));
  t.equal(cd.statusCode, 201, cd.body);
  const converted = cd.json() as AudioFile;
  t.match(converted, {
    converted: true,
    changes: ['44100 Hz → 8000 Hz', 'stereo → mono'],
    source: 'WAV 44100 Hz stereo 16-bit',
  });
  t.ok(Math.abs(converted.seconds - 1) < 0.02, `1 s once converted (${converted.seconds})`);

  const download = await get(`/api/v1/audio-files/${converted.id}/audio`);
  t.equal(download.statusCode, 200);
  t.equal(download.headers['content-type'], 'audio/wav');
  const wav = download.rawPayload;
  t.equal(wav.length, converted.bytes, 'the stored WAV is what downloads');
  t.equal(wav.readUInt32LE(24), 8000, '8000 Hz');
  t.equal(wav.readUInt16LE(22), 1, 'mono');
  t.equal(wav.readUInt16LE(34), 16, '16-bit');
});

t.test('refusals say why and store nothing', async (t) => {
  const before = (await total()).total;
  const cases: [string, Buffer | null, Record<string, string>, number, string][] = [
    ['not audio', Buffer.from('this is a text file, not audio\n'.repeat(20)), {}, 422, 'not_audio'],
    ['empty', Buffer.alloc(0), {}, 422, 'empty'],
    ['over AUDIO_MAX_BYTES', toneWav(8000, 1, 13), {}, 422, 'too_large'],
    ['over AUDIO_MAX_SECONDS', toneWav(8000, 1, 6), {}, 422, 'too_long'],
    ['no file part', null, {}, 400, 'file_required'],
    ['a bad voicemail flag', toneWav(8000, 1, 1), { voicemail: 'yes' }, 400, 'validation_failed'],
    [
      'mail on without an address',
      toneWav(8000, 1, 1),
      { notifyByEmail: 'true' },
      422,
      'notify_address_required',
    ],
    ['a taken name', toneWav(8000, 1, 1), { name: '業務A' }, 409, 'name_taken'],
  ];
  for (const [what, bytes, fields, status, code] of cases) {
    const res = await upload({ name: `refused ${what}`, ...fields }, bytes);
    t.equal(res.statusCode, status, `${what}: ${res.body}`);
    t.equal((res.json() as ErrorBody).error.code, code, what);
  }
  const json = await app.request('POST', '/api/v1/audio-files', {
    token: app.adminToken,
    body: { name: 'json' },
  });
  t.equal(json.statusCode, 415, 'JSON instead of a form');
  t.equal((json.json() as ErrorBody).error.code, 'multipart_required');
  t.equal((await total()).total, before, 'nothing was stored');
});

t.test('settings: voicemail with a mail address; a bad address is refused', async (t) => {
  const created = (await upload({ name: 'voicemail' }, toneWav(8000, 1, 1))).json() as AudioFile;
  const url = `/api/v1/audio-files/${created.id}`;
  const noAddress = await app.request('PATCH', url, {
    token: app.adminToken,
    body: { voicemail: true, notifyByEmail: true },
  });
  t.equal(noAddress.statusCode, 422);
  const badAddress = await app.request('PATCH', url, {
    token: app.adminToken,
    body: { notifyByEmail: true, notifyAddress: 'not an address' },
  });
  t.equal(badAddress.statusCode, 400);
  t.match((await get(url)).json(), { voicemail: false, notifyByEmail: false }, 'unchanged');
  const ok = await app.request('PATCH', url, {
    token: app.adminToken,
    body: { voicemail: true, notifyByEmail: true, notifyAddress: 'desk@example.com' },
  });
  t.equal(ok.statusCode, 200, ok.body);
  t.match(ok.json(), { voicemail: true, notifyByEmail: true, notifyAddress: 'desk@example.com' });
});

t.test(
  'a file a group or a system prompt plays cannot be deleted; the 409 names them',
  async (t) => {
    const file = (await upload({ name: 'in use' }, toneWav(8000, 1, 1))).json() as AudioFile;
    const group = await app.request('POST', '/api/v1/groups', {
      token: app.adminToken,
      body: { name: 'サポート', greetingAudioFileId: file.id, whisperAudioFileId: file.id },
    });
    t.equal(group.statusCode, 201, group.body);
    const groupId = (group.json() as { id: number }).id;
    const unknown = await app.request('POST', '/api/v1/groups', {
      token: app.adminToken,
      body: { name: 'nowhere', announcementAudioFileId: 999_999 },
    });
    t.equal(unknown.statusCode, 422);
    t.equal((unknown.json() as ErrorBody).error.code, 'unknown_audio_file');

    const prompt = await app.request('PUT', '/api/v1/system-prompts/voicemail_thanks/ja', {
      token: app.adminToken,
      body: { audioFileId: file.id },
    });
    t.equal(prompt.statusCode, 200, prompt.body);
    t.match(prompt.json(), {
      name: 'voicemail_thanks',
      text: { ja: 'ありがとうございます。' },
      replacements: { ja: { audioFileId: file.id, audioFileName: 'in use' }, en: null },
    });

    const refused = await app.request('DELETE', `/api/v1/audio-files/${file.id}`, {
      token: app.adminToken,
    });
    t.equal(refused.statusCode, 409);
    const error = (refused.json() as ErrorBody).error;
    t.equal(error.code, 'audio_file_in_use');
    t.same(error.details, [
      { kind: 'system_prompt', id: 'voicemail_thanks:ja', name: 'voicemail_thanks', field: 'ja' },
      { kind: 'group', id: groupId, name: 'サポート', field: 'greeting' },
      { kind: 'group', id: groupId, name: 'サポート', field: 'whisper' },
    ]);
    t.match(error.message, /サポート \(greeting\)/);

    await app.request('PATCH', `/api/v1/groups/${groupId}`, {
      token: app.adminToken,
      body: { greetingAudioFileId: null, whisperAudioFileId: null },
    });
    const restored = await app.request('DELETE', '/api/v1/system-prompts/voicemail_thanks/ja', {
      token: app.adminToken,
    });
    t.match(restored.json(), { replacements: { ja: null }, defaultSounds: ['auth-thankyou'] });
    const deleted = await app.request('DELETE', `/api/v1/audio-files/${file.id}`, {
      token: app.adminToken,
    });
    t.equal(deleted.statusCode, 204, 'deleted once nothing plays it');
    t.equal((await get(`/api/v1/audio-files/${file.id}`)).statusCode, 404);
  },
);

t.test('system prompts: the catalogue, unknown prompts and files', async (t) => {
  const list = (await get('/api/v1/system-prompts')).json() as {
    items: { name: string; defaultSounds: string[] }[];
  };
  const names = list.items.map((p) => p.name);
  for (const name of ['voicemail_instructions', 'voicemail_thanks', 'ivr_invalid', 'ivr_no_input'])
    t.ok(names.includes(name), name);
  t.match(
    list.items.find((p) => p.name === 'voicemail_instructions'),
    {
      defaultSounds: ['vm-intro'],
      text: { ja: /発信音の後にメッセージをお話し下さい/ },
    },
  );
  const unknownPrompt = await app.request('PUT', '/api/v1/system-prompts/no_such_prompt/ja', {
    token: app.adminToken,
    body: { audioFileId: 1 },
  });
  t.equal(unknownPrompt.statusCode, 404);
  const unknownFile = await app.request('PUT', '/api/v1/system-prompts/goodbye/en', {
    token: app.adminToken,
    body: { audioFileId: 999_999 },
  });
  t.equal(unknownFile.statusCode, 422);
  const badLanguage = await app.request('PUT', '/api/v1/system-prompts/goodbye/fr', {
    token: app.adminToken,
    body: { audioFileId: 1 },
  });
  t.equal(badLanguage.statusCode, 400);
});

t.test('the media URL Asterisk fetches: signed, versioned, cacheable', async (t) => {
  const file = (await upload({ name: 'media' }, toneWav(8000, 1, 1))).json() as AudioFile;
  const media = createMediaUrls({
    apiBaseUrl: app.config.audio.apiBaseUrl,
    secrets: createSecretBox(KEY),
  });
  const sha = (bytes: Buffer) =>
    import('node:crypto').then((c) => c.createHash('sha256').update(bytes).digest('hex'));
  const stored = (await get(`/api/v1/audio-files/${file.id}/audio`)).rawPayload;
  const uri = media.uri({ id: file.id, sha256: await sha(stored) });
  t.match(
    uri,
    /^sound:http:\/\/127\.0\.0\.1:\d+\/api\/v1\/media\/audio-files\/\d+-[0-9a-f]{16}-[\w-]{22}\.wav$/,
  );
  const path = uri.replace(/^sound:http:\/\/[^/]+/, '');

  const fetched = await app.request('GET', path);
  t.equal(fetched.statusCode, 200, 'no login needed');
  t.equal(fetched.headers['content-type'], 'audio/wav');
  t.same(fetched.rawPayload, stored);
  t.match(fetched.headers['cache-control'], /max-age=31536000/);
  const etag = String(fetched.headers.etag);
  const revalidated = await app.request('GET', path, { headers: { 'if-none-match': etag } });
  t.equal(revalidated.statusCode, 304, 'If-None-Match: 304');
  const head = await app.app.inject({ method: 'HEAD', url: path });
  t.equal(head.statusCode, 200, 'HEAD answered');

  const forged = path.replace(/-[\w-]{22}\.wav$/, `-${'A'.repeat(22)}.wav`);
  t.equal((await app.request('GET', forged)).statusCode, 404, 'a forged tag');
  t.equal(
    (await app.request('GET', '/api/v1/media/audio-files/1.wav')).statusCode,
    404,
    'a name that is not ours',
  );

  const replaced = await upload(
    {},
    toneWav(8000, 1, 2),
    'PUT',
    `/api/v1/audio-files/${file.id}/audio`,
  );
  t.equal(replaced.statusCode, 200, replaced.body);
  t.match(replaced.json(), { name: 'media', converted: false });
  t.equal((await app.request('GET', path)).statusCode, 404, 'the old version is gone');
  const newStored = (await get(`/api/v1/audio-files/${file.id}/audio`)).rawPayload;
  const newPath = media
    .uri({ id: file.id, sha256: await sha(newStored) })
    .replace(/^sound:http:\/\/[^/]+/, '');
  t.equal((await app.request('GET', newPath)).statusCode, 200, 'the new version plays');
});
