/**
 * Campaigns (§10-8): created with the manual's defaults, every setting kept as written, each
 * refusal a clear 4xx that changes nothing, the results textarea (`番号,テキスト` lines) and its
 * errors by line, a result entries hold kept, the agent checklist, the per-campaign pause and the
 * status tags of /me/campaigns, who may do what, ON / OFF, deletes and the dialer's hooks.
 */
import t from 'tap';
import { campaignEntries } from '../../src/campaigns/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import { multipartBody, toneWav } from '../support/audio.js';

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

interface Member {
  agentId: number;
  name: string;
  extension: string | null;
  paused: boolean;
  pausedStatusId: number | null;
}
interface Campaign {
  id: number;
  name: string;
  enabled: boolean;
  phoneNumberId: number | null;
  results: { number: number; text: string }[];
  resultsText: string;
  members: Member[];
  createdBy: string;
  updatedBy: string;
  updatedAt: string;
  [field: string]: unknown;
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const api = (app: TestApp, token = app.adminToken) => ({
  get: (url: string) => app.request('GET', `/api/v1${url}`, { token }),
  post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token, body }),
  patch: (url: string, body: unknown) => app.request('PATCH', `/api/v1${url}`, { token, body }),
  put: (url: string, body: unknown) => app.request('PUT', `/api/v1${url}`, { token, body }),
  delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token }),
});

async function created<T>(res: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await res;
  if (r.statusCode !== 201) throw new Error(`create: ${r.statusCode} ${r.body}`);
  return r.json() as T;
}

async function tokenOf(app: TestApp, loginId: string): Promise<string> {
  const res = await app.login(loginId, 'Secret123');
  return (res.json() as { token: string }).token;
}

async function audioFile(app: TestApp, name: string): Promise<number> {
  const form = await multipartBody(
    { name },
    { name: 'a.wav', type: 'audio/wav', bytes: toneWav(8000, 1, 0.5) },
  );
  const res = await app.request('POST', '/api/v1/audio-files', {
    token: app.adminToken,
    body: form.body,
    headers: { 'content-type': form.contentType },
  });
  if (res.statusCode !== 201) throw new Error(`audio file: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** A registered number, an audio file, an agent status: what a campaign's settings name. */
async function fixtures(app: TestApp) {
  const a = api(app);
  const number = await created<{ id: number }>(
    a.post('/phone-numbers', { number: '0311112222', name: '代表' }),
  );
  const status = await created<{ id: number }>(a.post('/agent-statuses', { name: 'ACW' }));
  const hold = await audioFile(app, 'お待ちください');
  const abandon = await audioFile(app, 'おかけ直しします');
  return { numberId: number.id, statusId: status.id, hold, abandon };
}

/** A refusal: its status and code, and that the campaigns read the same as before. */
async function refused(
  t: Tap,
  app: TestApp,
  res: { statusCode: number; body: string; json(): unknown },
  status: number,
  code: string | undefined,
  what: string,
): Promise<ErrorBody> {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const body = res.json() as ErrorBody;
  if (code !== undefined) t.equal(body.error.code, code, what);
  return body;
}

const DEFAULTS = {
  enabled: false,
  phoneNumberId: null,
  withholdCallerId: false,
  type: 'preview',
  predictive: false,
  agentMode: 'ringing',
  serviceLevelPercent: 100,
  dialRatio: 1,
  maxChannels: 1,
  dialTimeoutSeconds: 180,
  agentRingSeconds: 20,
  holdAudioFileId: null,
  abandonAudioFileId: null,
  abandonTargetPercent: 3,
  predictiveMinAgents: 6,
  detectMachines: false,
  acwStatusId: null,
  acwSeconds: 0,
  dtmfResults: false,
  windowFrom: '00:00',
  windowTo: '23:59',
  textColor: '#000000',
  backgroundColor: '#ffffff',
  results: [],
  resultsText: '',
  members: [],
};

t.test('a campaign created with a name alone has every default of §10-8', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const changes: number[] = [];
  app.app.services.campaigns.onChanged((id) => changes.push(id));

  const campaign = await created<Campaign>(a.post('/campaigns', { name: '夏季キャンペーン' }));
  t.match(campaign, { name: '夏季キャンペーン', ...DEFAULTS });
  t.same(
    Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, campaign[k]])),
    DEFAULTS,
    'exactly the defaults',
  );
  t.equal(campaign.createdBy, app.config.admin.loginId, 'audited: created by the principal');
  t.equal(campaign.updatedBy, app.config.admin.loginId);
  t.same(changes, [campaign.id], 'the dialer is told');

  const read = (await a.get(`/campaigns/${campaign.id}`)).json() as Campaign;
  t.same(read, campaign, 'read back the same');
  const list = (await a.get('/campaigns')).json() as { items: Campaign[]; total: number };
  t.equal(list.total, 1);
  t.match(list.items[0], {
    id: campaign.id,
    name: '夏季キャンペーン',
    enabled: false,
    textColor: '#000000',
    backgroundColor: '#ffffff',
    memberCount: 0,
    resultCount: 0,
    updatedAt: campaign.updatedAt,
  });
});

t.test('every field round-trips, on create and on change', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const f = await fixtures(app);
  const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
  const op2 = await createAgent(app, { loginId: 'op2' });

  const settings = {
    name: '秋の受注',
    enabled: true,
    phoneNumberId: f.numberId,
    withholdCallerId: true,
    type: 'progressive',
    predictive: true,
    agentMode: 'login',
    serviceLevelPercent: 80,
    dialRatio: 2.5,
    maxChannels: 12,
    dialTimeoutSeconds: 30,
    agentRingSeconds: 15,
    holdAudioFileId: f.hold,
    abandonAudioFileId: f.abandon,
    abandonTargetPercent: 2.5,
    predictiveMinAgents: 3,
    detectMachines: true,
    acwStatusId: f.statusId,
    acwSeconds: 60,
    dtmfResults: true,
    windowFrom: '09:30',
    windowTo: '20:00',
    textColor: '#112233',
    backgroundColor: '#ffeedd',
  };
  const campaign = await created<Campaign>(
    a.post('/campaigns', {
      ...settings,
      resultsText: '1,受注\n2,検討',
      memberIds: [op2, op1],
    }),
  );
  t.match(campaign, settings);
  t.same(campaign.results, [
    { number: 1, text: '受注' },
    { number: 2, text: '検討' },
  ]);
  t.equal(campaign.resultsText, '1,受注\n2,検討');
  t.same(
    campaign.members.map((m) => [m.agentId, m.name, m.extension, m.paused]),
    [
      [op1, 'Name op1', '201', false],
      [op2, 'Name op2', null, false],
    ],
    'the checklist: 名称 / 内線',
  );
  t.same((await a.get(`/campaigns/${campaign.id}`)).json(), campaign, 'read back the same');

  // Every field changed at once, by someone else: the audit says who.
  await createAgent(app, { loginId: 'sv1', role: 'supervisor' });
  const sv = api(app, await tokenOf(app, 'sv1'));
  const other = await created<{ id: number }>(
    a.post('/phone-numbers', { number: '0311113333', name: '第二' }),
  );
  const changed = {
    name: '秋の受注2',
    enabled: false,
    phoneNumberId: other.id,
    withholdCallerId: false,
    type: 'preview',
    predictive: false,
    agentMode: 'ringing',
    serviceLevelPercent: 100,
    dialRatio: 1,
    maxChannels: 1,
    dialTimeoutSeconds: 600,
    agentRingSeconds: 600,
    holdAudioFileId: null,
    abandonAudioFileId: null,
    abandonTargetPercent: 0,
    predictiveMinAgents: 1,
    detectMachines: false,
    acwStatusId: null,
    acwSeconds: 86_400,
    dtmfResults: false,
    windowFrom: '22:00',
    windowTo: '02:00',
    textColor: '#ABCDEF',
    backgroundColor: '#000000',
  };
  const patched = await sv.patch(`/campaigns/${campaign.id}`, {
    ...changed,
    results: [{ number: 7, text: '完了' }],
    memberIds: [op1],
  });
  t.equal(patched.statusCode, 200, patched.body);
  const after = patched.json() as Campaign;
  t.match(after, { ...changed, textColor: '#abcdef' }, 'colours are kept in lower case');
  t.same(after.results, [{ number: 7, text: '完了' }]);
  t.equal(after.resultsText, '7,完了');
  t.same(
    after.members.map((m) => m.agentId),
    [op1],
  );
  t.equal(after.updatedBy, 'sv1');
  t.equal(after.createdBy, app.config.admin.loginId);

  // One field alone changes that field alone.
  const one = (await a.patch(`/campaigns/${campaign.id}`, { maxChannels: 5 })).json() as Campaign;
  t.same({ ...one, maxChannels: 1, updatedAt: after.updatedAt, updatedBy: 'sv1' }, after);
});

t.test('each refused request is a clear 4xx and changes nothing', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const f = await fixtures(app);
  const op1 = await createAgent(app, { loginId: 'op1' });
  const existing = await created<Campaign>(
    a.post('/campaigns', { name: '既存', phoneNumberId: f.numberId, memberIds: [op1] }),
  );
  const snapshot = async () => ({
    list: (await a.get('/campaigns')).json() as unknown,
    one: (await a.get(`/campaigns/${existing.id}`)).json() as unknown,
  });
  const before = await snapshot();

  const badFields: [string, Record<string, unknown>][] = [
    ['name empty', { name: '' }],
    ['name with a line break', { name: 'a\nb' }],
    ['windowFrom 24:00', { windowFrom: '24:00' }],
    ['windowTo 9:00', { windowTo: '9:00' }],
    ['textColor red', { textColor: 'red' }],
    ['backgroundColor #fff', { backgroundColor: '#fff' }],
    ['dialRatio 0.5', { dialRatio: 0.5 }],
    ['dialRatio 11', { dialRatio: 11 }],
    ['maxChannels 0', { maxChannels: 0 }],
    ['maxChannels 1.5', { maxChannels: 1.5 }],
    ['dialTimeoutSeconds 0', { dialTimeoutSeconds: 0 }],
    ['dialTimeoutSeconds 601', { dialTimeoutSeconds: 601 }],
    ['agentRingSeconds 0', { agentRingSeconds: 0 }],
    ['serviceLevelPercent 0', { serviceLevelPercent: 0 }],
    ['serviceLevelPercent 101', { serviceLevelPercent: 101 }],
    ['abandonTargetPercent -1', { abandonTargetPercent: -1 }],
    ['abandonTargetPercent 101', { abandonTargetPercent: 101 }],
    ['acwSeconds -1', { acwSeconds: -1 }],
    ['type unknown', { type: 'predictive' }],
    ['agentMode unknown', { agentMode: 'auto' }],
    ['phoneNumberId 0', { phoneNumberId: 0 }],
    ['both results forms', { results: [], resultsText: '' }],
  ];
  for (const [what, fields] of badFields) {
    await refused(
      t,
      app,
      await a.post('/campaigns', { name: '新規', ...fields }),
      400,
      'validation_failed',
      `create: ${what}`,
    );
    await refused(
      t,
      app,
      await a.patch(`/campaigns/${existing.id}`, fields),
      400,
      'validation_failed',
      `change: ${what}`,
    );
  }
  await refused(t, app, await a.post('/campaigns', {}), 400, 'validation_failed', 'no name');
  await refused(
    t,
    app,
    await a.patch(`/campaigns/${existing.id}`, {}),
    400,
    'validation_failed',
    'nothing to change',
  );

  const unprocessable: [string, Record<string, unknown>, string][] = [
    ['ON without a caller ID', { enabled: true, phoneNumberId: null }, 'caller_id_required'],
    ['an unknown caller ID', { phoneNumberId: 9999 }, 'unknown_phone_number'],
    ['an unknown hold audio', { holdAudioFileId: 9999 }, 'unknown_audio_file'],
    ['an unknown abandon audio', { abandonAudioFileId: 9999 }, 'unknown_audio_file'],
    ['an unknown ACW status', { acwStatusId: 9999 }, 'unknown_status'],
    ['predictive preview', { type: 'preview', predictive: true }, 'predictive_needs_progressive'],
    ['login preview', { type: 'preview', agentMode: 'login' }, 'login_needs_progressive'],
    ['an unknown member', { memberIds: [op1, 9999] }, 'unknown_agent'],
    ['a member twice', { memberIds: [op1, op1] }, 'duplicate_member'],
    ['a bad result line', { resultsText: '1,受注\nx,NG' }, 'invalid_results'],
    ['result 0', { results: [{ number: 0, text: '再コール' }] }, 'invalid_results'],
  ];
  for (const [what, fields, code] of unprocessable) {
    await refused(
      t,
      app,
      await a.post('/campaigns', { name: '新規', ...fields }),
      422,
      code,
      `create: ${what}`,
    );
    await refused(
      t,
      app,
      await a.patch(`/campaigns/${existing.id}`, fields),
      422,
      code,
      `change: ${what}`,
    );
  }
  // ON with its caller ID taken away.
  await a.put(`/campaigns/${existing.id}/status`, { enabled: true });
  const on = await snapshot();
  await refused(
    t,
    app,
    await a.patch(`/campaigns/${existing.id}`, { phoneNumberId: null }),
    422,
    'caller_id_required',
    'caller ID removed while ON',
  );
  t.same(await snapshot(), on, 'still ON with its caller ID');
  await a.put(`/campaigns/${existing.id}/status`, { enabled: false });

  await refused(
    t,
    app,
    await a.post('/campaigns', { name: '既存' }),
    409,
    'name_taken',
    'a name taken',
  );
  const second = await created<Campaign>(a.post('/campaigns', { name: '二番目' }));
  await refused(
    t,
    app,
    await a.patch(`/campaigns/${second.id}`, { name: '既存' }),
    409,
    'name_taken',
    'renamed to a name taken',
  );
  await a.delete(`/campaigns/${second.id}`);

  await refused(t, app, await a.get('/campaigns/9999'), 404, 'not_found', 'unknown campaign');
  await refused(
    t,
    app,
    await a.patch('/campaigns/9999', { maxChannels: 2 }),
    404,
    'not_found',
    'change an unknown campaign',
  );
  await refused(t, app, await a.get('/campaigns/0x1'), 400, 'validation_failed', 'a hex id');

  const after = await snapshot();
  t.same(
    { ...(after.one as object), updatedAt: null },
    { ...(before.one as object), updatedAt: null },
    'the campaign is as it was',
  );
  t.same(
    (after.list as { total: number }).total,
    (before.list as { total: number }).total,
    'no campaign was added',
  );
});

t.test(
  'results: the textarea, its errors by line, the array, and results entries hold',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const a = api(app);
    const campaign = await created<Campaign>(
      a.post('/campaigns', {
        name: '結果',
        // Blank lines are skipped, the first comma ends the number, full-width digits and comma.
        resultsText: '1,受注\r\n\n 2 , 検討, 後日連絡 \n３，NG(説明後)\n',
      }),
    );
    t.same(campaign.results, [
      { number: 1, text: '受注' },
      { number: 2, text: '検討, 後日連絡' },
      { number: 3, text: 'NG(説明後)' },
    ]);
    t.equal(campaign.resultsText, '1,受注\n2,検討, 後日連絡\n3,NG(説明後)');

    const bad = await a.patch(`/campaigns/${campaign.id}`, {
      resultsText: ['5,留守電', 'x,NG', '5,重複', '0,再コール', '6,', '受注', '-1,マイナス'].join(
        '\n',
      ),
    });
    const body = await refused(t, app, bad, 422, 'invalid_results', 'bad lines');
    for (const line of [2, 3, 4, 5, 6, 7])
      t.match(body.error.message, `line ${line}: `, `names line ${line}`);
    t.notMatch(body.error.message, 'line 1:', 'line 1 is fine');
    t.match(body.error.message, /line 3: 結果番号 5 is already on line 1/);
    t.match(body.error.message, /line 4: 0 is reserved/);
    t.match(body.error.details, [{ where: 'line 2', message: String }]);

    const dup = await a.patch(`/campaigns/${campaign.id}`, {
      results: [
        { number: 4, text: 'A' },
        { number: 4, text: 'B' },
      ],
    });
    t.match(
      (await refused(t, app, dup, 422, 'invalid_results', 'a number twice')).error.message,
      'results.1: ',
    );
    const ctl = await a.patch(`/campaigns/${campaign.id}`, {
      results: [{ number: 4, text: 'a\tb' }],
    });
    await refused(t, app, ctl, 422, 'invalid_results', 'a tab in a text');
    const empty = await a.patch(`/campaigns/${campaign.id}`, {
      results: [{ number: 4, text: ' ' }],
    });
    await refused(t, app, empty, 422, 'invalid_results', 'an empty text');
    t.same(
      ((await a.get(`/campaigns/${campaign.id}`)).json() as Campaign).results.map((r) => r.number),
      [1, 2, 3],
      'the results are as they were',
    );

    // Two entries hold result 2: it stays until they have another.
    const db = app.database.db;
    const at = new Date();
    const audit = { createdAt: at, createdBy: 't', updatedAt: at, updatedBy: 't' };
    for (const phone of ['0311110001', '0311110002'])
      db.insert(campaignEntries)
        .values({ campaignId: campaign.id, phone, result: '2', ...audit })
        .run();
    const inUse = await a.patch(`/campaigns/${campaign.id}`, { resultsText: '1,受注\n3,NG' });
    const held = await refused(t, app, inUse, 409, 'result_in_use', 'a held result removed');
    t.same(held.error.details, [{ number: 2, text: '検討, 後日連絡', entries: 2 }]);
    t.match(held.error.message, 'held by 2 entries');

    // Renaming it, reordering, and removing one nobody holds are fine.
    const renamed = await a.patch(`/campaigns/${campaign.id}`, { resultsText: '2,検討中\n1,受注' });
    t.equal(renamed.statusCode, 200, renamed.body);
    t.same((renamed.json() as Campaign).results, [
      { number: 2, text: '検討中' },
      { number: 1, text: '受注' },
    ]);
    const list = (await a.get('/campaigns')).json() as { items: { resultCount: number }[] };
    t.equal(list.items[0]?.resultCount, 2);
    const cleared = await a.patch(`/campaigns/${campaign.id}`, { results: [] });
    t.equal(cleared.statusCode, 409, 'emptying the list still keeps result 2');
  },
);

t.test('members: the checklist, the list by agent, and pauses kept across changes', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
  const op2 = await createAgent(app, { loginId: 'op2', extension: '202' });
  const op3 = await createAgent(app, { loginId: 'op3' });
  const first = await created<Campaign>(a.post('/campaigns', { name: 'A', memberIds: [op1, op2] }));
  const second = await created<Campaign>(a.post('/campaigns', { name: 'B', memberIds: [op2] }));
  await created<Campaign>(a.post('/campaigns', { name: 'C' }));

  const byAgent = async (agentId: number) =>
    (await a.get(`/campaigns?agentId=${agentId}`)).json() as {
      items: { name: string }[];
      total: number;
    };
  t.same(
    (await byAgent(op2)).items.map((c) => c.name),
    ['A', 'B'],
    'エージェント: op2 is in A and B',
  );
  t.equal((await byAgent(op2)).total, 2);
  t.same((await byAgent(op3)).items, []);
  const named = (await a.get('/campaigns?name=B')).json() as { items: { id: number }[] };
  t.same(
    named.items.map((c) => c.id),
    [second.id],
    '名称',
  );
  const page = (await a.get('/campaigns?limit=1&offset=1')).json() as {
    items: { name: string }[];
    total: number;
  };
  t.same([page.items.map((c) => c.name), page.total], [['B'], 3]);

  await a.put(`/campaigns/${first.id}/members/${op1}/pause`, { paused: true });
  const set = await a.put(`/campaigns/${first.id}/members`, { agentIds: [op1, op3] });
  t.equal(set.statusCode, 200, set.body);
  t.same(
    (set.json() as { items: Member[] }).items.map((m) => [m.agentId, m.paused]),
    [
      [op1, true],
      [op3, false],
    ],
    'op1 stays paused, op2 left, op3 joined taking part',
  );
  t.same(app.app.services.campaigns.membersTakingPart(first.id), [op3]);

  const unknown = await a.put(`/campaigns/${first.id}/members`, { agentIds: [op1, 9999] });
  t.match(await refused(t, app, unknown, 422, 'unknown_agent', 'an unknown agent'), {
    error: { details: { agentIds: [9999] } },
  });
  await refused(
    t,
    app,
    await a.put('/campaigns/9999/members', { agentIds: [] }),
    404,
    'not_found',
    'unknown campaign',
  );
  t.same(
    ((await a.get(`/campaigns/${first.id}`)).json() as Campaign).members.map((m) => m.agentId),
    [op1, op3],
    'unchanged by the refusals',
  );

  // An agent deleted leaves every campaign.
  t.equal((await a.delete(`/agents/${op3}`)).statusCode, 204);
  t.same(
    ((await a.get(`/campaigns/${first.id}`)).json() as Campaign).members.map((m) => m.agentId),
    [op1],
  );
  t.same((await a.put(`/campaigns/${first.id}/members`, { agentIds: [] })).json(), { items: [] });
});

t.test('the per-campaign pause and the status tags of /me/campaigns', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const f = await fixtures(app);
  const op1 = await createAgent(app, { loginId: 'op1' });
  const op2 = await createAgent(app, { loginId: 'op2' });
  const me = api(app, await tokenOf(app, 'op1'));
  const first = await created<Campaign>(
    a.post('/campaigns', {
      name: '業務B',
      memberIds: [op1, op2],
      textColor: '#ffffff',
      backgroundColor: '#336699',
      phoneNumberId: f.numberId,
      enabled: true,
    }),
  );
  const second = await created<Campaign>(a.post('/campaigns', { name: '業務C', memberIds: [op1] }));
  const other = await created<Campaign>(a.post('/campaigns', { name: '業務D', memberIds: [op2] }));
  const changes: number[] = [];
  app.app.services.campaigns.onChanged((id) => changes.push(id));

  t.same((await me.get('/me/campaigns')).json(), {
    items: [
      {
        id: first.id,
        name: '業務B',
        enabled: true,
        textColor: '#ffffff',
        backgroundColor: '#336699',
        paused: false,
        pausedStatusId: null,
      },
      {
        id: second.id,
        name: '業務C',
        enabled: false,
        textColor: '#000000',
        backgroundColor: '#ffffff',
        paused: false,
        pausedStatusId: null,
      },
    ],
  });

  const paused = await me.put(`/me/campaigns/${first.id}/pause`, {
    paused: true,
    statusId: f.statusId,
  });
  t.equal(paused.statusCode, 200, paused.body);
  t.match(paused.json(), { agentId: op1, paused: true, pausedStatusId: f.statusId });
  t.same(app.app.services.campaigns.membersTakingPart(first.id), [op2], 'op1 is not rung');
  t.same(app.app.services.campaigns.membersTakingPart(second.id), [op1], 'but still by 業務C');
  t.same(changes, [first.id], 'the dialer is told');
  const tags = (await me.get('/me/campaigns')).json() as { items: { paused: boolean }[] };
  t.same(
    tags.items.map((c) => c.paused),
    [true, false],
  );

  await refused(
    t,
    app,
    await me.put(`/me/campaigns/${other.id}/pause`, { paused: true }),
    404,
    'not_found',
    'not a member',
  );
  await refused(
    t,
    app,
    await me.put(`/me/campaigns/${second.id}/pause`, { paused: true, statusId: 9999 }),
    422,
    'unknown_status',
    'an unknown status',
  );
  await refused(
    t,
    app,
    await me.put(`/campaigns/${first.id}/members/${op2}/pause`, { paused: true }),
    403,
    'permission_denied',
    'an agent pausing another',
  );
  t.same(app.app.services.campaigns.membersTakingPart(first.id), [op2], 'unchanged');

  // A supervisor pauses and resumes members.
  const sv = await a.put(`/campaigns/${first.id}/members/${op2}/pause`, { paused: true });
  t.match(sv.json(), { agentId: op2, paused: true, pausedStatusId: null });
  const resumed = await a.put(`/campaigns/${first.id}/members/${op1}/pause`, {
    paused: false,
    statusId: f.statusId,
  });
  t.match(resumed.json(), { agentId: op1, paused: false, pausedStatusId: null });
  await refused(
    t,
    app,
    await a.put(`/campaigns/${first.id}/members/9999/pause`, { paused: true }),
    404,
    'not_found',
    'not a member',
  );

  // The white tag (one status for everything) ends the per-campaign pauses.
  await me.put(`/me/campaigns/${first.id}/pause`, { paused: true });
  await me.put(`/me/campaigns/${second.id}/pause`, { paused: true });
  const chosen = await me.put('/me/status', { status: 'available' });
  t.equal(chosen.statusCode, 200, chosen.body);
  const after = (await me.get('/me/campaigns')).json() as { items: { paused: boolean }[] };
  t.same(
    after.items.map((c) => c.paused),
    [false, false],
  );
  t.same(app.app.services.campaigns.membersTakingPart(first.id), [op1], 'op2 was paused by the SV');
});

t.test('who may see and change campaigns', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  await createAgent(app, { loginId: 'op1' });
  await createAgent(app, { loginId: 'sv1', role: 'supervisor' });
  const agent = api(app, await tokenOf(app, 'op1'));
  const sv = api(app, await tokenOf(app, 'sv1'));
  const campaign = await created<Campaign>(a.post('/campaigns', { name: 'A' }));

  // An agent (no campaigns.* in the default set) sees only their status tags.
  for (const [what, res] of [
    ['list', agent.get('/campaigns')],
    ['read', agent.get(`/campaigns/${campaign.id}`)],
    ['create', agent.post('/campaigns', { name: 'B' })],
    ['change', agent.patch(`/campaigns/${campaign.id}`, { maxChannels: 2 })],
    ['ON/OFF', agent.put(`/campaigns/${campaign.id}/status`, { enabled: false })],
    ['members', agent.put(`/campaigns/${campaign.id}/members`, { agentIds: [] })],
    ['delete', agent.delete(`/campaigns/${campaign.id}`)],
  ] as const) {
    await refused(t, app, await res, 403, 'permission_denied', `an agent may not ${what}`);
  }
  t.equal((await agent.get('/me/campaigns')).statusCode, 200);
  const anonymous = await app.request('GET', '/api/v1/campaigns');
  t.equal(anonymous.statusCode, 401);

  // A supervisor may do it all.
  t.equal((await sv.get('/campaigns')).statusCode, 200);
  const made = await sv.post('/campaigns', { name: 'B' });
  t.equal(made.statusCode, 201, made.body);
  t.equal((made.json() as Campaign).createdBy, 'sv1');
  t.equal((await sv.patch(`/campaigns/${campaign.id}`, { maxChannels: 2 })).statusCode, 200);
  t.equal((await sv.delete(`/campaigns/${campaign.id}`)).statusCode, 204);
  t.equal(((await a.get('/campaigns')).json() as { total: number }).total, 1);
});

t.test('ON / OFF, deletes, and the hooks the dialer uses', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const f = await fixtures(app);
  const service = app.app.services.campaigns;
  const changes: number[] = [];
  const unsubscribe = service.onChanged((id) => changes.push(id));
  service.onChanged(() => {
    throw new Error('a listener that fails');
  });

  const campaign = await created<Campaign>(
    a.post('/campaigns', { name: 'A', holdAudioFileId: f.hold }),
  );
  const noCallerId = await a.put(`/campaigns/${campaign.id}/status`, { enabled: true });
  await refused(t, app, noCallerId, 422, 'caller_id_required', 'ON without a caller ID');
  t.equal(((await a.get(`/campaigns/${campaign.id}`)).json() as Campaign).enabled, false);

  await a.patch(`/campaigns/${campaign.id}`, { phoneNumberId: f.numberId });
  const on = await a.put(`/campaigns/${campaign.id}/status`, { enabled: true });
  t.equal(on.statusCode, 200, on.body);
  t.equal((on.json() as Campaign).enabled, true);
  t.same(
    ((await a.get('/campaigns?enabled=true')).json() as { items: { id: number }[] }).items.map(
      (c) => c.id,
    ),
    [campaign.id],
  );
  t.same(((await a.get('/campaigns?enabled=false')).json() as { total: number }).total, 0);
  await refused(
    t,
    app,
    await a.put('/campaigns/9999/status', { enabled: true }),
    404,
    'not_found',
    'unknown campaign',
  );

  // The audio file it plays cannot be deleted.
  const audioDelete = await a.delete(`/audio-files/${f.hold}`);
  t.equal(audioDelete.statusCode, 409, audioDelete.body);
  t.match(audioDelete.json(), {
    error: {
      code: 'audio_file_in_use',
      details: [{ kind: 'campaign', id: campaign.id, field: 'holdAudio' }],
    },
  });

  // Live calls hold the delete off.
  const db = app.database.db;
  const at = new Date();
  db.insert(campaignEntries)
    .values({
      campaignId: campaign.id,
      phone: '0311110001',
      createdAt: at,
      createdBy: 't',
      updatedAt: at,
      updatedBy: 't',
    })
    .run();
  let live = true;
  service.setBusyCheck((id) => live && id === campaign.id);
  await refused(
    t,
    app,
    await a.delete(`/campaigns/${campaign.id}`),
    409,
    'campaign_busy',
    'calls in progress',
  );
  t.equal((await a.get(`/campaigns/${campaign.id}`)).statusCode, 200, 'still there');
  live = false;
  t.equal((await a.delete(`/campaigns/${campaign.id}`)).statusCode, 204);
  await refused(t, app, await a.get(`/campaigns/${campaign.id}`), 404, 'not_found', 'gone');
  t.same(db.select().from(campaignEntries).all(), [], 'its entries went with it');
  await refused(
    t,
    app,
    await a.delete(`/campaigns/${campaign.id}`),
    404,
    'not_found',
    'deleted twice',
  );

  t.same(
    changes,
    [campaign.id, campaign.id, campaign.id, campaign.id],
    'created, changed, ON, deleted',
  );
  unsubscribe();
  await created<Campaign>(a.post('/campaigns', { name: 'B' }));
  t.equal(changes.length, 4, 'no word after unsubscribing');
});
