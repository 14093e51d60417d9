/**
 * /ivrs and /holiday-calendars over HTTP (§11-3): CRUD with rules, keys and dates replaced as a
 * whole; every refusal of bad input with its reason and nothing changed; loops through IVRs and
 * groups refused naming the cycle; an IVR, a calendar or an audio file in use not deleted, naming
 * who uses it; what the IVR runner reads (find, isSpecifiedDate); who may do what.
 */
import t from 'tap';
import { buildTestApp, type TestApp } from '../support/app.js';
import { multipartBody, toneWav } from '../support/audio.js';

interface Destination {
  type: string;
  [target: string]: unknown;
}
interface Rule {
  from: string;
  to: string;
  weekdays: string[];
  specifiedDates: boolean;
  destination: Destination;
}
interface Ivr {
  id: number;
  name: string;
  defaultRoute: Destination | null;
  schedule: {
    enabled: boolean;
    rules: Rule[];
    specifiedDates: string[];
    holidayCalendarId: number | null;
  };
  buttons: {
    enabled: boolean;
    menuAudioFileId: number | null;
    keys: Record<string, Destination>;
    noInputSeconds: number;
    attempts: number;
  };
  createdBy: string;
  updatedAt: string;
}
interface Calendar {
  id: number;
  name: string;
  dates: string[];
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

let app: TestApp;
t.before(async () => {
  app = await buildTestApp();
});
t.teardown(() => app.close());

const api = (token = app.adminToken) => ({
  get: (url: string) => app.request('GET', `/api/v1${url}`, { token }),
  post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token, body }),
  patch: (url: string, body: unknown) => app.request('PATCH', `/api/v1${url}`, { token, body }),
  delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token }),
});

async function created<T>(res: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const done = await res;
  if (done.statusCode !== 201) throw new Error(`create: ${done.statusCode} ${done.body}`);
  return done.json() as T;
}

const ivr = (name: string, body: Record<string, unknown> = {}) =>
  created<Ivr>(api().post('/ivrs', { name, ...body }));
const group = (name: string, body: Record<string, unknown> = {}) =>
  created<{ id: number }>(api().post('/groups', { name, ...body }));

async function audioFile(name: string): Promise<number> {
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

const toIvr = (id: number) => ({ type: 'ivr', ivrId: id });
const toGroup = (id: number) => ({ type: 'group', groupId: id });

/** A refusal: the status, the code, and (when given) that the IVR and the list did not change. */
async function refused(
  t: Tap,
  res: { statusCode: number; body: string; json(): unknown },
  status: number,
  code: string,
  what: string,
): Promise<ErrorBody['error']> {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const error = (res.json() as ErrorBody).error;
  t.equal(error.code, code, what);
  return error;
}

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

/** What the API shows of every IVR and calendar, to compare before and after a refusal. */
async function everything(): Promise<unknown> {
  const list = (await api().get('/ivrs?limit=500')).json() as { items: { id: number }[] };
  const ivrs = await Promise.all(
    list.items.map(async (i) => (await api().get(`/ivrs/${i.id}`)).json() as Ivr),
  );
  const calendars = (await api().get('/holiday-calendars?limit=500')).json() as unknown;
  return { ivrs, calendars };
}

t.test(
  'holiday calendars: CRUD, dates sorted each once, bad dates and names refused',
  async (t) => {
    const calendar = await created<Calendar>(
      api().post('/holiday-calendars', {
        name: '祝日 2026',
        dates: ['2026-05-05', '2026-01-01', '2026-05-05', '2026-02-11'],
      }),
    );
    t.same(calendar.dates, ['2026-01-01', '2026-02-11', '2026-05-05'], 'sorted, each once');
    const empty = await created<Calendar>(api().post('/holiday-calendars', { name: '年末年始' }));
    t.same(empty.dates, []);

    const before = await everything();
    await refused(
      t,
      await api().post('/holiday-calendars', { name: '祝日 2026' }),
      409,
      'name_taken',
      'a name taken',
    );
    await refused(
      t,
      await api().patch(`/holiday-calendars/${empty.id}`, { name: '祝日 2026' }),
      409,
      'name_taken',
      'renamed to a name taken',
    );
    for (const date of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-1-5', '20260105', 'today'])
      await refused(
        t,
        await api().post('/holiday-calendars', { name: 'bad', dates: [date] }),
        400,
        'validation_failed',
        `${date} is not a date`,
      );
    await refused(
      t,
      await api().patch(`/holiday-calendars/${calendar.id}`, {
        dates: ['2026-01-01', '2026-02-30'],
      }),
      400,
      'validation_failed',
      'one bad date in a patch',
    );
    await refused(
      t,
      await api().post('/holiday-calendars', {
        name: 'too many',
        dates: Array.from({ length: 1001 }, () => '2026-01-01'),
      }),
      400,
      'validation_failed',
      'over 1000 dates',
    );
    await refused(
      t,
      await api().post('/holiday-calendars', { name: 'x\ny' }),
      400,
      'validation_failed',
      'a line break in the name',
    );
    await refused(
      t,
      await api().patch(`/holiday-calendars/${calendar.id}`, {}),
      400,
      'validation_failed',
      'nothing to change',
    );
    t.same(await everything(), before, 'nothing changed');

    const renamed = await api().patch(`/holiday-calendars/${empty.id}`, {
      name: '年末年始 2026',
      dates: ['2026-12-31', '2026-12-29', '2026-12-30'],
    });
    t.equal(renamed.statusCode, 200, renamed.body);
    t.match(renamed.json(), {
      name: '年末年始 2026',
      dates: ['2026-12-29', '2026-12-30', '2026-12-31'],
    });
    const kept = await api().patch(`/holiday-calendars/${empty.id}`, { name: '年末年始' });
    t.same(
      (kept.json() as Calendar).dates,
      ['2026-12-29', '2026-12-30', '2026-12-31'],
      'dates kept',
    );

    const listed = (
      await api().get(`/holiday-calendars?name=${encodeURIComponent('年末')}`)
    ).json() as unknown;
    t.match(listed, { total: 1, items: [{ id: empty.id, name: '年末年始' }] }, 'the name filter');
    t.match((await api().get(`/holiday-calendars/${calendar.id}`)).json(), {
      id: calendar.id,
      name: '祝日 2026',
      createdBy: String,
    });

    t.equal((await api().delete(`/holiday-calendars/${empty.id}`)).statusCode, 204);
    t.equal((await api().get(`/holiday-calendars/${empty.id}`)).statusCode, 404);
    t.equal((await api().delete(`/holiday-calendars/${empty.id}`)).statusCode, 404);
    t.equal((await api().delete(`/holiday-calendars/${calendar.id}`)).statusCode, 204);
  },
);

t.test('IVRs: create with defaults, in full, read, list, patch in part', async (t) => {
  const bare = await ivr('空');
  t.match(bare, {
    name: '空',
    defaultRoute: null,
    schedule: { enabled: false, rules: [], specifiedDates: [], holidayCalendarId: null },
    buttons: { enabled: false, menuAudioFileId: null, keys: {}, noInputSeconds: 5, attempts: 3 },
    createdBy: 'admin',
  });

  const support = await group('IVR サポート', { extension: '850' });
  const closed = await audioFile('営業時間外');
  const menu = await audioFile('メニュー');
  const holidays = await created<Calendar>(
    api().post('/holiday-calendars', { name: 'IVR 祝日', dates: ['2026-01-01'] }),
  );
  const rules = [
    {
      from: '09:00',
      to: '18:00',
      weekdays: ['fri', 'mon', 'mon', 'wed'],
      destination: toGroup(support.id),
    },
    {
      from: '22:00',
      to: '06:00',
      weekdays: [],
      specifiedDates: true,
      destination: { type: 'voicemail', audioFileId: closed },
    },
  ];
  const full = await ivr('受付', {
    defaultRoute: { type: 'audio', audioFileId: closed },
    schedule: {
      enabled: true,
      rules,
      specifiedDates: ['2026-08-14', '2026-08-13', '2026-08-14'],
      holidayCalendarId: holidays.id,
    },
    buttons: {
      enabled: true,
      menuAudioFileId: menu,
      keys: {
        '#': toGroup(support.id),
        '1': { type: 'extension', extension: '201' },
        '0': toIvr(bare.id),
      },
      noInputSeconds: 8,
      attempts: 2,
    },
  });
  t.same(
    full.schedule.rules,
    [
      {
        from: '09:00',
        to: '18:00',
        weekdays: ['mon', 'wed', 'fri'],
        specifiedDates: false,
        destination: toGroup(support.id),
      },
      { ...rules[1], weekdays: [] },
    ],
    'rules in order, weekdays once each from Monday, ★ off unless given',
  );
  t.same(full.schedule.specifiedDates, ['2026-08-13', '2026-08-14'], 'dates sorted, each once');
  t.same(full.buttons.keys, {
    '1': { type: 'extension', extension: '201' },
    '0': toIvr(bare.id),
    '#': toGroup(support.id),
  });
  t.match(full.buttons, { enabled: true, menuAudioFileId: menu, noInputSeconds: 8, attempts: 2 });
  t.same((await api().get(`/ivrs/${full.id}`)).json(), full, 'read back as created');

  const list = (await api().get('/ivrs')).json() as {
    total: number;
    items: Record<string, unknown>[];
  };
  t.same(
    list.items
      .filter((i) => i.id === full.id || i.id === bare.id)
      .map((i) => [i.name, i.scheduleEnabled, i.buttonsEnabled]),
    [
      ['受付', true, true],
      ['空', false, false],
    ],
    'the list: 名称, 予約, ボタン (by name)',
  );
  t.ok(
    list.items.every((i) => typeof i.updatedAt === 'string' && !('schedule' in i)),
    'rows only',
  );
  t.match((await api().get(`/ivrs?name=${encodeURIComponent('受')}`)).json(), {
    total: 1,
    items: [{ id: full.id }],
  });

  // What the runner reads: the same IVR, and its specified dates with the calendar's.
  const found = app.app.services.ivrs.find(full.id);
  t.ok(found, 'find');
  t.same(
    found?.schedule.rules.map((r) => r.from),
    ['09:00', '22:00'],
  );
  t.ok(found?.isSpecifiedDate('2026-08-13'), 'its own date');
  t.ok(found?.isSpecifiedDate('2026-01-01'), 'its calendar’s');
  t.notOk(found?.isSpecifiedDate('2026-01-02'), 'another day');
  t.equal(app.app.services.ivrs.find(9999), undefined);
  t.notOk(app.app.services.ivrs.find(bare.id)?.isSpecifiedDate('2026-01-01'), 'no calendar');
  await api().patch(`/holiday-calendars/${holidays.id}`, { dates: ['2026-01-02'] });
  t.ok(
    app.app.services.ivrs.find(full.id)?.isSpecifiedDate('2026-01-02'),
    'a calendar change applies at once',
  );

  // A rename keeps the rest; given rules and keys replace what was there.
  const renamed = await api().patch(`/ivrs/${full.id}`, { name: '代表' });
  t.equal(renamed.statusCode, 200, renamed.body);
  t.same(
    { ...(renamed.json() as Ivr), name: '受付', updatedAt: full.updatedAt },
    full,
    'only the name changed',
  );
  const replaced = (
    await api().patch(`/ivrs/${full.id}`, {
      schedule: {
        rules: [{ from: '00:00', to: '00:00', weekdays: ['sat'], destination: toIvr(bare.id) }],
      },
      buttons: { keys: { '9': toGroup(support.id) } },
    })
  ).json() as Ivr;
  t.same(replaced.schedule.rules, [
    {
      from: '00:00',
      to: '00:00',
      weekdays: ['sat'],
      specifiedDates: false,
      destination: toIvr(bare.id),
    },
  ]);
  t.same(replaced.buttons.keys, { '9': toGroup(support.id) });
  t.match(
    replaced,
    {
      schedule: {
        enabled: true,
        specifiedDates: ['2026-08-13', '2026-08-14'],
        holidayCalendarId: holidays.id,
      },
      buttons: { enabled: true, menuAudioFileId: menu, noInputSeconds: 8, attempts: 2 },
      defaultRoute: { type: 'audio', audioFileId: closed },
    },
    'what was not given is kept',
  );
  const off = (
    await api().patch(`/ivrs/${full.id}`, {
      defaultRoute: null,
      schedule: { enabled: false, specifiedDates: [], holidayCalendarId: null },
      buttons: { enabled: false, menuAudioFileId: null, keys: {} },
    })
  ).json() as Ivr;
  t.match(off, {
    defaultRoute: null,
    schedule: {
      enabled: false,
      rules: [{ from: '00:00' }],
      specifiedDates: [],
      holidayCalendarId: null,
    },
    buttons: { enabled: false, menuAudioFileId: null, keys: {} },
  });

  t.equal((await api().delete(`/ivrs/${full.id}`)).statusCode, 204);
  t.equal((await api().get(`/ivrs/${full.id}`)).statusCode, 404);
  t.equal((await api().patch(`/ivrs/${full.id}`, { name: 'x' })).statusCode, 404);
});

t.test('bad input is refused with its reason, and nothing changes', async (t) => {
  const menu = await audioFile('bad-input menu');
  const target = await ivr('refusals target');
  const subject = await ivr('refusals', {
    defaultRoute: toIvr(target.id),
    schedule: {
      enabled: true,
      rules: [{ from: '09:00', to: '17:00', weekdays: ['mon'], destination: toIvr(target.id) }],
    },
    buttons: { enabled: true, menuAudioFileId: menu, keys: { '1': toIvr(target.id) } },
  });
  const before = await everything();
  const rule = (fields: Record<string, unknown>) => ({
    schedule: {
      rules: [
        { from: '09:00', to: '17:00', weekdays: ['mon'], destination: toIvr(target.id), ...fields },
      ],
    },
  });

  const senders = {
    create: (body: Record<string, unknown>) => api().post('/ivrs', { name: 'new one', ...body }),
    patch: (body: Record<string, unknown>) => api().patch(`/ivrs/${subject.id}`, body),
  };
  for (const [how, send] of Object.entries(senders)) {
    const what = (text: string) => `${how}: ${text}`;
    for (const time of ['24:00', '9:00', '09:60', '0900', '09:00:00', ''])
      await refused(
        t,
        await send(rule({ from: time })),
        400,
        'validation_failed',
        what(`from ${time}`),
      );
    await refused(t, await send(rule({ to: '25:00' })), 400, 'validation_failed', what('to 25:00'));
    await refused(
      t,
      await send(rule({ weekdays: ['mon', 'funday'] })),
      400,
      'validation_failed',
      what('a weekday that is none'),
    );
    const empty = await refused(
      t,
      await send(rule({ weekdays: [], specifiedDates: false })),
      422,
      'empty_rule',
      what('no weekday, no ★'),
    );
    t.same(empty.details, { rule: 1 });
    await refused(
      t,
      await send(rule({ destination: toGroup(9999) })),
      422,
      'unknown_route_target',
      what('a rule to no group'),
    );
    await refused(
      t,
      await send(rule({ destination: { type: 'nowhere' } })),
      400,
      'validation_failed',
      what('a destination type that is none'),
    );
    await refused(
      t,
      await send({ defaultRoute: toIvr(9999) }),
      422,
      'unknown_route_target',
      what('a default to no IVR'),
    );
    await refused(
      t,
      await send({ defaultRoute: { type: 'agent', agentId: 9999 } }),
      422,
      'unknown_route_target',
      what('to no agent'),
    );
    await refused(
      t,
      await send({ buttons: { keys: { '5': { type: 'audio', audioFileId: 9999 } } } }),
      422,
      'unknown_route_target',
      what('a key to no audio file'),
    );
    await refused(
      t,
      await send({ buttons: { keys: { '10': toIvr(target.id) } } }),
      400,
      'validation_failed',
      what('a key that is none'),
    );
    await refused(
      t,
      await send({ buttons: { menuAudioFileId: 9999 } }),
      422,
      'unknown_audio_file',
      what('no such prompt'),
    );
    await refused(
      t,
      await send({ schedule: { holidayCalendarId: 9999 } }),
      422,
      'unknown_holiday_calendar',
      what('no such calendar'),
    );
    await refused(
      t,
      await send({ schedule: { specifiedDates: ['2026-02-30'] } }),
      400,
      'validation_failed',
      what('2026-02-30'),
    );
    for (const noInputSeconds of [0, 61, 1.5])
      await refused(
        t,
        await send({ buttons: { noInputSeconds } }),
        400,
        'validation_failed',
        what(`noInputSeconds ${noInputSeconds}`),
      );
    for (const attempts of [0, 11])
      await refused(
        t,
        await send({ buttons: { attempts } }),
        400,
        'validation_failed',
        what(`attempts ${attempts}`),
      );
    await refused(
      t,
      await send({ name: 'refusals target' }),
      409,
      'name_taken',
      what('a name taken'),
    );
    await refused(t, await send({ name: ' ' }), 400, 'validation_failed', what('a blank name'));
  }
  await refused(
    t,
    await api().post('/ivrs', { name: 'no prompt', buttons: { enabled: true } }),
    422,
    'menu_prompt_required',
    'buttons ON without a prompt',
  );
  await refused(
    t,
    await api().patch(`/ivrs/${subject.id}`, { buttons: { menuAudioFileId: null } }),
    422,
    'menu_prompt_required',
    'the prompt taken away while the buttons are ON',
  );
  await refused(
    t,
    await api().patch(`/ivrs/${subject.id}`, { name: 'renamed', defaultRoute: toGroup(9999) }),
    422,
    'unknown_route_target',
    'a valid field beside a bad one does not go through',
  );
  await refused(
    t,
    await api().patch(`/ivrs/${subject.id}`, {}),
    400,
    'validation_failed',
    'nothing to change',
  );
  await refused(t, await api().post('/ivrs', {}), 400, 'validation_failed', 'no name');
  t.same(await everything(), before, 'nothing changed');

  // Turning the buttons on with a prompt given alongside is fine.
  const bare = await ivr('buttons later');
  const on = await api().patch(`/ivrs/${bare.id}`, {
    buttons: { enabled: true, menuAudioFileId: menu },
  });
  t.equal(on.statusCode, 200, on.body);
});

t.test('a save that would close a loop is refused, naming the cycle', async (t) => {
  const a = await ivr('休日');
  const b = await ivr('受付 loop', { defaultRoute: toIvr(a.id) });
  let before = await everything();

  const self = await refused(
    t,
    await api().patch(`/ivrs/${a.id}`, { buttons: { keys: { '9': toIvr(a.id) } } }),
    422,
    'route_loop',
    'to itself',
  );
  t.same(self.details, [
    { kind: 'ivr', id: a.id, name: '休日' },
    { kind: 'ivr', id: a.id, name: '休日' },
  ]);

  const two = await refused(
    t,
    await api().patch(`/ivrs/${a.id}`, { defaultRoute: toIvr(b.id) }),
    422,
    'route_loop',
    'IVR → IVR → IVR',
  );
  t.equal(two.message, 'Calls would go round: IVR 休日 → IVR 受付 loop → IVR 休日');
  t.same(two.details, [
    { kind: 'ivr', id: a.id, name: '休日' },
    { kind: 'ivr', id: b.id, name: '受付 loop' },
    { kind: 'ivr', id: a.id, name: '休日' },
  ]);

  t.same(await everything(), before, 'nothing changed');

  const c = await ivr('夜間', { defaultRoute: toIvr(b.id) });
  before = await everything();
  const three = await refused(
    t,
    await api().patch(`/ivrs/${a.id}`, {
      name: '休日 (新)',
      schedule: {
        rules: [{ from: '00:00', to: '00:00', weekdays: ['sun'], destination: toIvr(c.id) }],
      },
    }),
    422,
    'route_loop',
    'through a rule, three IVRs',
  );
  t.equal(
    three.message,
    'Calls would go round: IVR 休日 (新) → IVR 夜間 → IVR 受付 loop → IVR 休日 (新)',
    'the new name',
  );

  t.same(await everything(), before, 'nothing changed');

  // Through a group's timeout and back.
  const queue = await group('loop queue', { timeout: toIvr(a.id) });
  const beforeGroup = await everything();
  const viaGroup = await refused(
    t,
    await api().patch(`/ivrs/${a.id}`, { buttons: { keys: { '1': toGroup(queue.id) } } }),
    422,
    'route_loop',
    'IVR → group timeout → IVR',
  );
  t.same(viaGroup.details, [
    { kind: 'ivr', id: a.id, name: '休日' },
    { kind: 'group', id: queue.id, name: 'loop queue' },
    { kind: 'ivr', id: a.id, name: '休日' },
  ]);
  t.equal(viaGroup.message, 'Calls would go round: IVR 休日 → group loop queue → IVR 休日');
  t.same(await everything(), beforeGroup, 'nothing changed');

  // And from the group's side: a group whose overflow goes to an IVR that sends calls back.
  const desk = await group('loop desk');
  const front = await ivr('loop front', { defaultRoute: toGroup(desk.id) });
  const fromGroup = await refused(
    t,
    await api().patch(`/groups/${desk.id}`, { overflow: toIvr(front.id) }),
    422,
    'route_loop',
    'group overflow → IVR → group',
  );
  t.same(fromGroup.details, [
    { kind: 'group', id: desk.id, name: 'loop desk' },
    { kind: 'ivr', id: front.id, name: 'loop front' },
    { kind: 'group', id: desk.id, name: 'loop desk' },
  ]);
  t.match(
    (await api().get(`/groups/${desk.id}`)).json(),
    { overflow: null },
    'the group did not change',
  );

  // Not loops: a diamond, and a loop of groups alone that an IVR sends calls into.
  const x = await group('loop x');
  const y = await group('loop y', { overflow: toGroup(x.id) });
  const groupsAlone = await api().patch(`/groups/${x.id}`, { overflow: toGroup(y.id) });
  t.equal(groupsAlone.statusCode, 200, 'groups alone are the groups’ business');
  const diamond = await api().patch(`/ivrs/${a.id}`, {
    defaultRoute: toGroup(x.id),
    buttons: { keys: { '1': toGroup(y.id), '2': toGroup(y.id) } },
  });
  t.equal(diamond.statusCode, 200, `an IVR into a loop it does not close: ${diamond.body}`);
  const fine = await api().patch(`/ivrs/${c.id}`, { defaultRoute: toIvr(a.id) });
  t.equal(fine.statusCode, 200, fine.body);
});

t.test('an IVR something sends calls to is not deleted; they are named', async (t) => {
  const target = await ivr('in use');
  const other = await ivr('in use caller', {
    defaultRoute: toIvr(target.id),
    schedule: {
      rules: [{ from: '09:00', to: '10:00', weekdays: ['tue'], destination: toIvr(target.id) }],
    },
    buttons: { keys: { '*': toIvr(target.id) } },
  });
  const diverting = await group('in use group', {
    overflow: toIvr(target.id),
    timeout: toIvr(target.id),
  });
  const did = await created<{ id: number }>(
    api().post('/phone-numbers', { number: '0355550001', name: '代表', route: toIvr(target.id) }),
  );
  const before = await everything();
  const inUse = await refused(
    t,
    await api().delete(`/ivrs/${target.id}`),
    409,
    'ivr_in_use',
    'in use',
  );
  t.same(inUse.details, [
    { kind: 'phone_number', id: did.id, name: '0355550001', field: 'route' },
    { kind: 'group', id: diverting.id, name: 'in use group', field: 'overflow' },
    { kind: 'group', id: diverting.id, name: 'in use group', field: 'timeout' },
    { kind: 'ivr', id: other.id, name: 'in use caller', field: 'defaultRoute' },
    { kind: 'ivr', id: other.id, name: 'in use caller', field: 'rule 1' },
    { kind: 'ivr', id: other.id, name: 'in use caller', field: 'key *' },
  ]);
  t.match(inUse.message, /in use caller \(key \*\)/);
  t.same(await everything(), before, 'nothing deleted');

  await api().patch(`/phone-numbers/${did.id}`, { route: null });
  await api().patch(`/groups/${diverting.id}`, { overflow: null, timeout: null });
  await api().patch(`/ivrs/${other.id}`, {
    defaultRoute: null,
    schedule: { rules: [] },
    buttons: { keys: {} },
  });
  t.equal((await api().delete(`/ivrs/${target.id}`)).statusCode, 204, 'free now');
});

t.test('a holiday calendar an IVR uses is not deleted', async (t) => {
  const calendar = await created<Calendar>(api().post('/holiday-calendars', { name: '使用中' }));
  const user = await ivr('calendar user', { schedule: { holidayCalendarId: calendar.id } });
  const inUse = await refused(
    t,
    await api().delete(`/holiday-calendars/${calendar.id}`),
    409,
    'holiday_calendar_in_use',
    'in use',
  );
  t.same(inUse.details, [
    { kind: 'ivr', id: user.id, name: 'calendar user', field: 'schedule.holidayCalendarId' },
  ]);
  t.equal((await api().get(`/holiday-calendars/${calendar.id}`)).statusCode, 200, 'still there');
  await api().patch(`/ivrs/${user.id}`, { schedule: { holidayCalendarId: null } });
  t.equal((await api().delete(`/holiday-calendars/${calendar.id}`)).statusCode, 204);
});

t.test('an audio file an IVR, a group route or a DID plays is not deleted', async (t) => {
  const prompt = await audioFile('in-use prompt');
  const message = await audioFile('in-use message');
  const user = await ivr('audio user', {
    buttons: {
      enabled: true,
      menuAudioFileId: prompt,
      keys: { '3': { type: 'voicemail', audioFileId: message } },
    },
    schedule: {
      rules: [
        {
          from: '09:00',
          to: '10:00',
          weekdays: ['mon'],
          destination: { type: 'audio', audioFileId: message },
        },
      ],
    },
  });
  const overflowing = await group('audio group', {
    overflow: { type: 'audio', audioFileId: message },
  });
  const did = await created<{ id: number }>(
    api().post('/phone-numbers', {
      number: '0355550002',
      name: '留守',
      route: { type: 'voicemail', audioFileId: message },
    }),
  );

  const byMenu = await refused(
    t,
    await api().delete(`/audio-files/${prompt}`),
    409,
    'audio_file_in_use',
    'the menu prompt',
  );
  t.same(byMenu.details, [{ kind: 'ivr', id: user.id, name: 'audio user', field: 'menu' }]);
  const byRoutes = await refused(
    t,
    await api().delete(`/audio-files/${message}`),
    409,
    'audio_file_in_use',
    'destinations',
  );
  t.same(
    (byRoutes.details as { kind: string; field: string }[])
      .map((u) => `${u.kind} ${u.field}`)
      .sort(),
    ['group overflow', 'ivr key 3', 'ivr rule 1', 'phone_number route'],
  );
  t.same(
    (byRoutes.details as { kind: string; id: number; name: string }[])
      .map((u) => `${u.kind} ${u.id} ${u.name}`)
      .sort(),
    [
      `group ${overflowing.id} audio group`,
      `ivr ${user.id} audio user`,
      `ivr ${user.id} audio user`,
      `phone_number ${did.id} 0355550002`,
    ],
  );
  t.equal((await api().get(`/audio-files/${prompt}`)).statusCode, 200, 'still there');

  t.equal((await api().delete(`/ivrs/${user.id}`)).statusCode, 204);
  t.equal(
    (await api().delete(`/audio-files/${prompt}`)).statusCode,
    204,
    'free once the IVR is gone',
  );
});

t.test('who may see and change IVRs and calendars', async (t) => {
  const role = await created<{ id: number }>(
    api().post('/roles', { name: 'IVR viewers', permissions: ['ivrs.view'] }),
  );
  await created(
    api().post('/agents', {
      loginId: 'ivrview',
      name: 'Viewer',
      nickname: 'v',
      password: 'Secret123',
      roleId: role.id,
    }),
  );
  const token = ((await app.login('ivrview', 'Secret123')).json() as { token: string }).token;
  const viewer = api(token);
  t.equal((await viewer.get('/ivrs')).statusCode, 200);
  t.equal((await viewer.get('/holiday-calendars')).statusCode, 200);
  const bare = await ivr('permission target');
  t.equal((await viewer.post('/ivrs', { name: 'nope' })).statusCode, 403);
  t.equal((await viewer.patch(`/ivrs/${bare.id}`, { name: 'nope' })).statusCode, 403);
  t.equal((await viewer.delete(`/ivrs/${bare.id}`)).statusCode, 403);
  t.equal((await viewer.post('/holiday-calendars', { name: 'nope' })).statusCode, 403);
  t.equal((await app.request('GET', '/api/v1/ivrs')).statusCode, 401);
});
