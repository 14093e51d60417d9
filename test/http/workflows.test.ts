/**
 * /workflows (§11-11/12), the moves of a case through one, and /stats/workflows (§10-6) over
 * HTTP: CRUD of workflows and steps (≤ 4 buttons, next steps of the same workflow, audio files,
 * colours, loops allowed), every refusal with its error and nothing changed, the audio module's
 * in-use check, a case moved by buttons with each move logged (who, when), and the statistics of
 * a known sequence timed with the app's fake clock, as JSON and CSV, with their permissions.
 */
import t from 'tap';
import { audioFiles } from '../../src/audio/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';

interface Step {
  id: number;
  workflowId: number;
  name: string;
  details: string;
  audioFileId: number | null;
  color: string;
  buttons: { label: string; nextStepId: number | null }[];
}
interface Workflow {
  id: number;
  name: string;
  firstStepId: number | null;
  firstStepName: string | null;
  steps: Step[];
}
interface Case {
  id: number;
  workflowId: number | null;
  workflowName: string | null;
  stepId: number | null;
  stepName: string | null;
  stepEnteredAt: string | null;
}
interface Move {
  fromStepId: number | null;
  fromStepName: string | null;
  fromEnteredAt: string | null;
  button: number | null;
  buttonLabel: string | null;
  toStepId: number | null;
  toStepName: string | null;
  at: string;
  by: string;
}
interface Row {
  stepId: number;
  stepName: string;
  count: number;
  averageSeconds: number | null;
  maxSeconds: number | null;
  minSeconds: number | null;
  totalSeconds: number;
}
type Res = { statusCode: number; body: string; json(): unknown };
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

let app: TestApp;
let clock: FakeClock;
const START = new Date('2026-12-01T00:00:00Z');

t.before(async () => {
  clock = fakeClock(START);
  app = await buildTestApp({ clock });
});
t.teardown(() => app.close());

function api(token?: string) {
  const tk = token ?? app.adminToken;
  return {
    get: (url: string) => app.request('GET', `/api/v1${url}`, { token: tk }),
    post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token: tk, body }),
    patch: (url: string, body: unknown) =>
      app.request('PATCH', `/api/v1${url}`, { token: tk, body }),
    delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token: tk }),
  };
}

async function ok<T>(res: Promise<Res>, status = 200): Promise<T> {
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return (done.body === '' ? undefined : done.json()) as T;
}

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const error = (res.json() as { error: { code: string; message: string } }).error;
  t.equal(error.code, code, what);
  t.type(error.message, 'string');
}

const everything = () => ok<unknown>(api().get('/workflows?limit=500'));

async function flow(name: string) {
  const w = await ok<Workflow>(api().post('/workflows', { name }), 201);
  const step = (body: Record<string, unknown>) =>
    ok<Step>(api().post(`/workflows/${w.id}/steps`, body), 201);
  // Built from the end: a button leads to a step that exists.
  const s31 = await step({ name: 'STEP3-1', buttons: [{ label: '完了', nextStepId: null }] });
  const s32 = await step({ name: 'STEP3-2', color: '#FF0000' });
  const s2 = await step({
    name: 'STEP2',
    details: '折り返し電話',
    buttons: [
      { label: 'A', nextStepId: s31.id },
      { label: 'B', nextStepId: s32.id },
    ],
  });
  const s1 = await step({ name: 'STEP1', buttons: [{ label: '次へ', nextStepId: s2.id }] });
  // STEP3-2 loops back to STEP1 (a rework) or ends.
  await ok(
    api().patch(`/workflows/${w.id}/steps/${s32.id}`, {
      buttons: [
        { label: 'やり直し', nextStepId: s1.id },
        { label: '終了', nextStepId: null },
      ],
    }),
  );
  await ok(api().patch(`/workflows/${w.id}`, { firstStepId: s1.id }));
  return { w, s1, s2, s31, s32 };
}

t.test('workflows and steps: CRUD, the first step, colours, loops', async (t) => {
  const { w, s1, s2, s31, s32 } = await flow('TESTフロー');
  const read = await ok<Workflow>(api().get(`/workflows/${w.id}`));
  t.equal(read.firstStepId, s1.id);
  t.equal(read.firstStepName, 'STEP1');
  t.same(
    read.steps.map((s) => s.name),
    ['STEP3-1', 'STEP3-2', 'STEP2', 'STEP1'],
  );
  const s32read = read.steps.find((s) => s.id === s32.id);
  t.equal(s32read?.color, '#ff0000', 'colours are kept lower case');
  t.same(s32read?.buttons, [
    { label: 'やり直し', nextStepId: s1.id },
    { label: '終了', nextStepId: null },
  ]);
  t.equal(read.steps.find((s) => s.id === s31.id)?.color, '#56afe8', 'the default colour');
  t.equal(read.steps.find((s) => s.id === s2.id)?.details, '折り返し電話');

  // The first step added becomes the first step.
  const solo = await ok<Workflow>(api().post('/workflows', { name: '単発' }), 201);
  t.equal(solo.firstStepId, null);
  const only = await ok<Step>(api().post(`/workflows/${solo.id}/steps`, { name: 'ONLY' }), 201);
  t.equal((await ok<Workflow>(api().get(`/workflows/${solo.id}`))).firstStepId, only.id);
  // A step may lead to itself.
  await ok(
    api().patch(`/workflows/${solo.id}/steps/${only.id}`, {
      buttons: [{ label: 'もう一度', nextStepId: only.id }],
    }),
  );

  const list = await ok<{ items: Workflow[]; total: number }>(api().get('/workflows?name=TEST'));
  t.same(
    list.items.map((x) => x.name),
    ['TESTフロー'],
  );
  const renamed = await ok<Workflow>(api().patch(`/workflows/${solo.id}`, { name: '単発2' }));
  t.equal(renamed.name, '単発2');
  await ok(api().patch(`/workflows/${solo.id}`, { firstStepId: null }));
  await ok(api().delete(`/workflows/${solo.id}/steps/${only.id}`), 204);
  await ok(api().delete(`/workflows/${solo.id}`), 204);
  t.equal((await api().get(`/workflows/${solo.id}`)).statusCode, 404);
});

t.test('every refusal says why and changes nothing', async (t) => {
  const { w, s1, s2 } = await flow('拒否フロー');
  const other = await flow('別フロー');
  const file = app.database.db
    .insert(audioFiles)
    .values({
      name: 'step-audio',
      seconds: 1,
      bytes: 44,
      sha256: 'x',
      source: 'WAV',
      changes: [],
      createdAt: START,
      createdBy: 't',
      updatedAt: START,
      updatedBy: 't',
    })
    .returning({ id: audioFiles.id })
    .get();
  const before = await everything();
  const five = Array.from({ length: 5 }, (_, i) => ({ label: `B${i}`, nextStepId: null }));
  const cases: [Promise<Res>, number, string, string][] = [
    [
      api().post(`/workflows/${w.id}/steps`, { name: 'X', buttons: five }),
      400,
      'validation_failed',
      '5 buttons',
    ],
    [
      api().patch(`/workflows/${w.id}/steps/${s1.id}`, { buttons: five }),
      400,
      'validation_failed',
      '5 buttons on a change',
    ],
    [
      api().post(`/workflows/${w.id}/steps`, {
        name: 'X',
        buttons: [{ label: 'a', nextStepId: other.s1.id }],
      }),
      422,
      'unknown_step',
      'a step of another workflow',
    ],
    [
      api().patch(`/workflows/${w.id}/steps/${s1.id}`, {
        buttons: [{ label: 'a', nextStepId: 999999 }],
      }),
      422,
      'unknown_step',
      'no such step',
    ],
    [
      api().patch(`/workflows/${w.id}`, { firstStepId: other.s1.id }),
      422,
      'unknown_step',
      'first step elsewhere',
    ],
    [
      api().post(`/workflows/${w.id}/steps`, { name: 'X', audioFileId: 999999 }),
      422,
      'unknown_audio_file',
      'no such audio file',
    ],
    [
      api().post(`/workflows/${w.id}/steps`, { name: 'STEP1' }),
      409,
      'name_taken',
      'step name taken',
    ],
    [api().post('/workflows', { name: '別フロー' }), 409, 'name_taken', 'workflow name taken'],
    [
      api().post(`/workflows/${w.id}/steps`, { name: 'X', color: 'red' }),
      400,
      'validation_failed',
      'colour',
    ],
    [api().delete(`/workflows/${w.id}/steps/${s1.id}`), 409, 'step_in_use', 'the first step'],
    [api().delete(`/workflows/${w.id}/steps/${s2.id}`), 409, 'step_in_use', 'a button leads to it'],
    [api().delete(`/workflows/${w.id}/steps/${other.s1.id}`), 404, 'not_found', 'step of another'],
    [api().get('/workflows/999999'), 404, 'not_found', 'no workflow'],
    [api().patch(`/workflows/${w.id}`, {}), 400, 'validation_failed', 'nothing to change'],
  ];
  for (const [res, status, code, what] of cases) refused(t, await res, status, code, what);
  t.same(await everything(), before, 'nothing changed');

  // An audio file a step plays is not deleted.
  await ok(api().patch(`/workflows/${w.id}/steps/${s2.id}`, { audioFileId: file.id }));
  const inUse = await api().delete(`/audio-files/${file.id}`);
  refused(t, inUse, 409, 'audio_file_in_use', 'played by a step');
  t.match((inUse.json() as { error: { details: unknown } }).error.details, [
    { kind: 'workflow_step', id: s2.id, name: '拒否フロー-STEP2', field: 'audioFileId' },
  ]);
  await ok(api().patch(`/workflows/${w.id}/steps/${s2.id}`, { audioFileId: null }));
  await ok(api().delete(`/audio-files/${file.id}`), 204);

  // A workflow a case has, and a step a case is in, stay.
  const c = await ok<Case>(api().post('/cases', { title: '使用中', workflowId: w.id }), 201);
  await ok(api().patch(`/workflows/${w.id}`, { firstStepId: s2.id }));
  refused(
    t,
    await api().delete(`/workflows/${w.id}/steps/${s1.id}`),
    409,
    'step_in_use',
    'a case in it',
  );
  refused(t, await api().delete(`/workflows/${w.id}`), 409, 'workflow_in_use', 'a case has it');
  await ok(api().delete(`/cases/${c.id}`), 204);
  refused(
    t,
    await api().delete(`/workflows/${w.id}`),
    409,
    'workflow_in_use',
    'a deleted case has it',
  );
  await ok(api().post(`/cases/${c.id}/restore`, {}));
  await ok(api().patch(`/cases/${c.id}`, { workflowId: null }));
  await ok(api().delete(`/workflows/${w.id}`), 204);
  t.equal((await api().get(`/workflows/${w.id}`)).statusCode, 404, 'gone once no case has it');
  t.equal(
    (await ok<{ total: number }>(api().get(`/cases/${c.id}/workflow-moves`))).total,
    2,
    'the case’s log stays',
  );
});

t.test('a case moves through the steps by buttons; each move is logged', async (t) => {
  const { w, s1, s2, s32 } = await flow('案件フロー');
  const c = await ok<Case>(api().post('/cases', { title: '進行', workflowId: w.id }), 201);
  t.match(c, { workflowId: w.id, workflowName: '案件フロー', stepId: s1.id, stepName: 'STEP1' });
  t.equal(c.stepEnteredAt, clock.now().toISOString());
  const press = (buttonId: number, extra: Record<string, unknown> = {}) =>
    api().post(`/cases/${c.id}/workflow-moves`, { buttonId, ...extra });

  refused(t, await press(2), 422, 'unknown_button', 'STEP1 has one button');
  refused(t, await press(5), 400, 'validation_failed', 'button 5');
  refused(t, await press(1, { fromStepId: s2.id }), 409, 'step_changed', 'saw another step');
  clock.advance(10_000);
  const at2 = await ok<Case>(press(1, { fromStepId: s1.id }));
  t.match(at2, { stepId: s2.id, stepName: 'STEP2' });
  clock.advance(20_000);
  t.match(await ok<Case>(press(2)), { stepId: s32.id, stepName: 'STEP3-2' });
  clock.advance(5_000);
  t.match(await ok<Case>(press(1)), { stepId: s1.id }, 'back to STEP1 (a loop)');
  clock.advance(1_000);
  await ok(press(1));
  clock.advance(2_000);
  await ok(press(2));
  clock.advance(3_000);
  const ended = await ok<Case>(press(2));
  t.match(
    ended,
    { workflowId: w.id, stepId: null, stepName: null, stepEnteredAt: null },
    'the end',
  );
  refused(t, await press(1), 409, 'workflow_ended', 'nothing after the end');

  const log = await ok<{ items: Move[]; total: number }>(
    api().get(`/cases/${c.id}/workflow-moves`),
  );
  t.equal(log.total, 7);
  t.same(
    log.items.map((m) => [m.fromStepName, m.button, m.buttonLabel, m.toStepName, m.by]),
    [
      [null, null, null, 'STEP1', 'admin'],
      ['STEP1', 1, '次へ', 'STEP2', 'admin'],
      ['STEP2', 2, 'B', 'STEP3-2', 'admin'],
      ['STEP3-2', 1, 'やり直し', 'STEP1', 'admin'],
      ['STEP1', 1, '次へ', 'STEP2', 'admin'],
      ['STEP2', 2, 'B', 'STEP3-2', 'admin'],
      ['STEP3-2', 2, '終了', null, 'admin'],
    ],
  );
  t.equal(log.items[1]?.fromEnteredAt, log.items[0]?.at, 'a stay starts where the last move ended');
  t.equal(
    new Date(log.items[1]?.at ?? 0).getTime() - new Date(log.items[0]?.at ?? 0).getTime(),
    10_000,
  );

  // A refused move logs nothing; a case without a workflow has nothing to press.
  const plain = await ok<Case>(api().post('/cases', { title: '素' }), 201);
  refused(
    t,
    await api().post(`/cases/${plain.id}/workflow-moves`, { buttonId: 1 }),
    409,
    'no_workflow',
    'none',
  );
  t.equal((await ok<{ total: number }>(api().get(`/cases/${plain.id}/workflow-moves`))).total, 0);
  refused(
    t,
    await api().patch(`/cases/${plain.id}`, { workflowId: 999999 }),
    422,
    'unknown_workflow',
    'no such workflow',
  );
  const empty = await ok<Workflow>(api().post('/workflows', { name: '空' }), 201);
  refused(
    t,
    await api().patch(`/cases/${plain.id}`, { workflowId: empty.id }),
    422,
    'workflow_has_no_steps',
    'no first step',
  );
  t.equal((await ok<{ total: number }>(api().get(`/cases/${plain.id}/workflow-moves`))).total, 0);
  t.equal((await api().get('/cases/999999/workflow-moves')).statusCode, 404);
});

t.test(
  'statistics (§10-6): per step and the 合計 row, checked against a known sequence',
  async (t) => {
    const { w, s1, s2, s31, s32 } = await flow('統計フロー');
    const from = clock.now().toISOString();
    const press = (id: number, buttonId: number) =>
      ok(api().post(`/cases/${id}/workflow-moves`, { buttonId }));
    // Case A: STEP1 10 s, STEP2 30 s, STEP3-1 7 s → end.
    const a = await ok<Case>(api().post('/cases', { title: 'A', workflowId: w.id }), 201);
    // Case B enters STEP1 at the same time: STEP1 20 s, STEP2 5 s, STEP3-2 still open.
    const b = await ok<Case>(api().post('/cases', { title: 'B', workflowId: w.id }), 201);
    clock.advance(10_000);
    await press(a.id, 1);
    clock.advance(10_000);
    await press(b.id, 1);
    clock.advance(5_000);
    await press(b.id, 2);
    clock.advance(15_000);
    await press(a.id, 1);
    clock.advance(7_000);
    await press(a.id, 1);
    // B has been in STEP3-2 for 22 s and is still there: not counted yet.
    const to = new Date(clock.now().getTime() + 1000).toISOString();
    const stats = await ok<{
      rows: Row[];
      total: Omit<Row, 'stepId' | 'stepName'>;
      workflowName: string;
    }>(api().get(`/stats/workflows?workflowId=${w.id}&from=${from}&to=${to}`));
    t.equal(stats.workflowName, '統計フロー');
    const byName = Object.fromEntries(stats.rows.map((r) => [r.stepName, r]));
    t.match(byName, {
      STEP1: {
        stepId: s1.id,
        count: 2,
        averageSeconds: 15,
        maxSeconds: 20,
        minSeconds: 10,
        totalSeconds: 30,
      },
      STEP2: {
        stepId: s2.id,
        count: 2,
        averageSeconds: 18,
        maxSeconds: 30,
        minSeconds: 5,
        totalSeconds: 35,
      },
      'STEP3-1': {
        stepId: s31.id,
        count: 1,
        averageSeconds: 7,
        maxSeconds: 7,
        minSeconds: 7,
        totalSeconds: 7,
      },
      'STEP3-2': { stepId: s32.id, count: 0, averageSeconds: null, totalSeconds: 0 },
    });
    t.same(stats.total, {
      count: 5,
      averageSeconds: 14,
      maxSeconds: 30,
      minSeconds: 5,
      totalSeconds: 72,
    });

    // A range that ends before the later moves counts only the stays ended in it.
    const early = new Date(new Date(from).getTime() + 15_000).toISOString();
    const part = await ok<{ total: { count: number; totalSeconds: number } }>(
      api().get(`/stats/workflows?workflowId=${w.id}&from=${from}&to=${early}`),
    );
    t.same(part.total, {
      count: 1,
      averageSeconds: 10,
      maxSeconds: 10,
      minSeconds: 10,
      totalSeconds: 10,
    });

    const csv = await api().get(
      `/stats/workflows?workflowId=${w.id}&from=${from}&to=${to}&format=csv`,
    );
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /text\/csv/);
    t.ok(csv.body.startsWith('\uFEFF'), 'UTF-8 with BOM');
    const lines = csv.body.replace('\uFEFF', '').trim().split(/\r?\n/);
    t.equal(lines[0], '"ステップ","件数","平均時間","最大時間","最小時間","時間合計"');
    t.ok(lines.includes('"STEP1","2","15","20","10","30"'), lines.join('\n'));
    t.ok(lines.includes('"STEP3-2","0","-","-","-","0"'), 'no stays: -');
    t.equal(lines[lines.length - 1], '"合計","5","14","30","5","72"');

    refused(
      t,
      await api().get(`/stats/workflows?workflowId=${w.id}&from=${to}&to=${from}`),
      422,
      'invalid_range',
      'from after to',
    );
    refused(
      t,
      await api().get(`/stats/workflows?workflowId=999999&from=${from}&to=${to}`),
      404,
      'not_found',
      'no workflow',
    );
    refused(
      t,
      await api().get(`/stats/workflows?workflowId=${w.id}&from=x&to=${to}`),
      400,
      'validation_failed',
      'bad from',
    );
  },
);

t.test('permissions: agents view workflows, only their managers change them', async (t) => {
  await createAgent(app, { loginId: 'wfagent' });
  const token = ((await app.login('wfagent', 'Secret123')).json() as { token: string }).token;
  const agent = api(token);
  const { w, s1 } = await flow('権限フロー');
  t.equal((await agent.get('/workflows')).statusCode, 200, 'workflows.view');
  const before = await everything();
  for (const [res, what] of [
    [agent.post('/workflows', { name: 'x' }), 'create'],
    [agent.patch(`/workflows/${w.id}`, { name: 'x' }), 'change'],
    [agent.delete(`/workflows/${w.id}`), 'delete'],
    [agent.post(`/workflows/${w.id}/steps`, { name: 'x' }), 'add a step'],
    [agent.patch(`/workflows/${w.id}/steps/${s1.id}`, { name: 'x' }), 'change a step'],
    [
      agent.get(
        `/stats/workflows?workflowId=${w.id}&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`,
      ),
      'stats',
    ],
  ] as const)
    refused(t, await res, 403, 'permission_denied', what);
  t.same(await everything(), before, 'nothing changed');
  // The agent moves a case (cases.update) and is logged as the mover.
  const c = await ok<Case>(agent.post('/cases', { title: 'エージェント', workflowId: w.id }), 201);
  await ok(agent.post(`/cases/${c.id}/workflow-moves`, { buttonId: 1 }));
  const log = await ok<{ items: Move[] }>(agent.get(`/cases/${c.id}/workflow-moves`));
  t.same(
    log.items.map((m) => m.by),
    ['wfagent', 'wfagent'],
  );

  // Viewing the statistics does not give their download.
  const role = await ok<{ id: number }>(
    api().post('/roles', { name: '統計閲覧', permissions: ['workflow_stats.view'] }),
    201,
  );
  await ok(
    api().post('/agents', {
      loginId: 'wfstats',
      name: 's',
      nickname: 's',
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  const viewer = api(((await app.login('wfstats', 'Secret123')).json() as { token: string }).token);
  const q = `workflowId=${w.id}&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`;
  t.equal((await viewer.get(`/stats/workflows?${q}`)).statusCode, 200);
  refused(
    t,
    await viewer.get(`/stats/workflows?${q}&format=csv`),
    403,
    'permission_denied',
    'csv needs download',
  );
});
