/**
 * /business-formats (§11-8) and /custom-fields (§11-9) over HTTP: CRUD with fields and members,
 * the built-in デフォルト, formats with customers and fields with values kept from changes that
 * would break them, the postal-code auto-fill, every refusal with its code and nothing changed,
 * and who may do what.
 */
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import type { PostalLookup } from '../../src/crm/formats/postal-fill.js';
import { createBusinessFormatsService } from '../../src/crm/formats/service.js';
import { systemClock } from '../../src/platform/clock.js';

interface Field {
  id: number;
  position: number;
  name: string;
  type: string;
  required: boolean;
  side: string;
  options: string[];
  postalAutofill: boolean;
  postalPrefectureFieldId: number | null;
  postalCityFieldId: number | null;
  postalStreetFieldId: number | null;
  postalOtherFieldId: number | null;
}
interface Format {
  id: number;
  name: string;
  builtIn: string | null;
  fields: Field[];
  agentIds: number[];
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
  put: (url: string, body: unknown) => app.request('PUT', `/api/v1${url}`, { token, body }),
  delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token }),
});

type Res = { statusCode: number; body: string; json(): unknown };
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

async function ok<T>(res: Promise<Res>, status = 200): Promise<T> {
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return done.json() as T;
}

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const error = (res.json() as ErrorBody).error;
  t.equal(error.code, code, what);
  return error;
}

const everything = async () => ({
  formats: await ok<unknown>(api().get('/business-formats?limit=500')),
  custom: await ok<unknown>(api().get('/custom-fields?limit=500')),
});

t.test('the built-in デフォルト format exists and is not deleted', async (t) => {
  const list = await ok<{ items: Format[] }>(api().get('/business-formats'));
  const builtIn = list.items.find((f) => f.builtIn === 'default');
  t.ok(builtIn, 'デフォルト is there');
  t.equal(builtIn?.name, 'デフォルト');
  t.notOk(
    list.items.some((f) => f.builtIn === 'mot_call_list' || f.builtIn === 'miitel_targets'),
    'the call-list formats are not made here',
  );
  refused(
    t,
    await api().delete(`/business-formats/${builtIn?.id}`),
    409,
    'built_in_format',
    'built in',
  );
  const renamed = await ok<Format>(
    api().patch(`/business-formats/${builtIn?.id}`, { name: '標準' }),
  );
  t.equal(renamed.builtIn, 'default', 'renaming keeps it built in');
  await ok(api().patch(`/business-formats/${builtIn?.id}`, { name: 'デフォルト' }));
});

t.test('CRUD with fields, options, places and members', async (t) => {
  const agent = await createAgent(app, { loginId: 'fmt1' });
  const format = await ok<Format>(
    api().post('/business-formats', {
      name: 'デモ001',
      fields: [
        { name: '住所', type: 'text', side: 'right' },
        { name: '種別', type: 'list', options: [' リスト1 ', 'リスト2', 'リスト1'] },
        { name: '生年月日', type: 'date', required: true },
      ],
      agentIds: [agent],
    }),
    201,
  );
  t.match(format, {
    name: 'デモ001',
    builtIn: null,
    agentIds: [agent],
    createdBy: 'admin',
    fields: [
      { name: '住所', type: 'text', side: 'right', required: false, options: [], position: 0 },
      { name: '種別', type: 'list', options: ['リスト1', 'リスト2'], position: 1 },
      { name: '生年月日', type: 'date', required: true, side: 'left', position: 2 },
    ],
  });

  const added = await ok<Format>(
    api().post(`/business-formats/${format.id}/fields`, {
      name: '興味',
      type: 'checkbox',
      options: ['A', 'B'],
    }),
    201,
  );
  t.equal(added.fields.length, 4);
  const interest = added.fields[3];
  const moved = await ok<Format>(
    api().patch(`/business-formats/${format.id}/fields/${interest?.id}`, {
      position: 0,
      required: true,
    }),
  );
  t.same(
    moved.fields.map((f) => [f.name, f.position]),
    [
      ['興味', 0],
      ['住所', 1],
      ['種別', 2],
      ['生年月日', 3],
    ],
  );
  const removed = await ok<Format>(
    api().delete(`/business-formats/${format.id}/fields/${interest?.id}`),
  );
  t.same(
    removed.fields.map((f) => [f.name, f.position]),
    [
      ['住所', 0],
      ['種別', 1],
      ['生年月日', 2],
    ],
  );

  const search = await ok<{ items: Format[]; total: number }>(
    api().get('/business-formats?name=デモ'),
  );
  t.equal(search.total, 1);
  t.equal((await api().get('/business-formats/99999')).statusCode, 404);

  const members = await ok<Format>(
    api().put(`/business-formats/${format.id}/agents`, { agentIds: [] }),
  );
  t.same(members.agentIds, []);
  await ok(api().put(`/business-formats/${format.id}/agents`, { agentIds: [agent, agent] }));
  t.same((await ok<Format>(api().get(`/business-formats/${format.id}`))).agentIds, [agent]);

  t.equal((await api().delete(`/business-formats/${format.id}`)).statusCode, 204);
  t.equal((await api().get(`/business-formats/${format.id}`)).statusCode, 404);
});

t.test('bad input refused with its code, nothing changed', async (t) => {
  const format = await ok<Format>(
    api().post('/business-formats', { name: '検証', fields: [{ name: 'a', type: 'text' }] }),
    201,
  );
  const a = format.fields[0]?.id;
  const before = await everything();
  const cases: [Promise<Res>, number, string][] = [
    [api().post('/business-formats', { name: '検証' }), 409, 'name_taken'],
    [api().post('/business-formats', { name: '' }), 400, 'validation_failed'],
    [api().post('/business-formats', { name: 'x\u202e' }), 400, 'validation_failed'],
    [
      api().post('/business-formats', { name: 'n1', fields: [{ name: 'a', type: 'list' }] }),
      422,
      'options_required',
    ],
    [
      api().post('/business-formats', {
        name: 'n2',
        fields: [
          { name: 'a', type: 'text' },
          { name: 'a', type: 'text' },
        ],
      }),
      409,
      'name_taken',
    ],
    [api().post('/business-formats', { name: 'n3', agentIds: [424242] }), 422, 'unknown_agents'],
    [
      api().post('/business-formats', { name: 'n4', fields: [{ name: 'a', type: 'rich' }] }),
      400,
      'validation_failed',
    ],
    [
      api().post(`/business-formats/${format.id}/fields`, { name: 'a', type: 'text' }),
      409,
      'name_taken',
    ],
    [
      api().post(`/business-formats/${format.id}/fields`, {
        name: 'r',
        type: 'radio',
        options: [],
      }),
      422,
      'options_required',
    ],
    [api().post('/business-formats/99999/fields', { name: 'z', type: 'text' }), 404, 'not_found'],
    [api().patch(`/business-formats/${format.id}/fields/${a}`, {}), 400, 'validation_failed'],
    [api().patch(`/business-formats/${format.id}/fields/99999`, { name: 'q' }), 404, 'not_found'],
    [
      api().patch(`/business-formats/${format.id}/fields/${a}`, { postalAutofill: true }),
      422,
      'not_a_postal_code_field',
    ],
    [
      api().patch(`/business-formats/${format.id}/fields/${a}`, { type: 'list' }),
      422,
      'options_required',
    ],
    [
      api().put(`/business-formats/${format.id}/agents`, { agentIds: [424242] }),
      422,
      'unknown_agents',
    ],
    [
      api().put(`/business-formats/${format.id}/agents`, { agentIds: 'all' }),
      400,
      'validation_failed',
    ],
    [api().get('/business-formats/0x1'), 400, 'validation_failed'],
    [api().delete('/business-formats/99999'), 404, 'not_found'],
  ];
  for (const [res, status, code] of cases) refused(t, await res, status, code, `${status} ${code}`);
  t.same(await everything(), before, 'nothing changed');
});

t.test('a format with customers, and fields with values, keep what would break them', async (t) => {
  const format = await ok<Format>(
    api().post('/business-formats', {
      name: '保持',
      fields: [
        { name: '区分', type: 'radio', options: ['甲', '乙', '丙'] },
        { name: 'メモ', type: 'text' },
        { name: '携帯', type: 'phone' },
      ],
    }),
    201,
  );
  const [kind, memo, mobile] = format.fields;
  const customer = await ok<{ id: number }>(
    api().post('/customers', {
      formatId: format.id,
      name: '保持 太郎',
      fields: {
        [String(kind?.id)]: '甲',
        [String(memo?.id)]: 'x',
        [String(mobile?.id)]: '090-1111-2222',
      },
    }),
    201,
  );
  const before = await everything();
  const inUse = refused(
    t,
    await api().delete(`/business-formats/${format.id}`),
    409,
    'business_format_in_use',
    'in use',
  );
  t.match(inUse, { message: /1 customer/, details: { customers: 1 } });
  refused(
    t,
    await api().patch(`/business-formats/${format.id}/fields/${memo?.id}`, { type: 'number' }),
    409,
    'field_in_use',
    'type',
  );
  refused(
    t,
    await api().patch(`/business-formats/${format.id}/fields/${kind?.id}`, {
      options: ['乙', '丙'],
    }),
    409,
    'option_in_use',
    'option chosen',
  );
  t.same(await everything(), before, 'nothing changed');

  // An option nobody chose may go; a field's deletion takes its values (and phones) along.
  await ok(
    api().patch(`/business-formats/${format.id}/fields/${kind?.id}`, { options: ['甲', '乙'] }),
  );
  await ok(api().delete(`/business-formats/${format.id}/fields/${mobile?.id}`));
  const after = await ok<{ fields: Record<string, unknown> }>(
    api().get(`/customers/${customer.id}`),
  );
  t.same(Object.keys(after.fields).sort(), [String(kind?.id), String(memo?.id)].sort());
  const byPhone = await ok<{ total: number }>(api().get('/customers?phone=09011112222'));
  t.equal(byPhone.total, 0, 'the deleted field’s phone left the index');
  // A field without values may change type.
  const empty = await ok<Format>(
    api().post(`/business-formats/${format.id}/fields`, { name: '空', type: 'text' }),
    201,
  );
  const emptyId = empty.fields.find((f) => f.name === '空')?.id;
  const changed = await ok<Format>(
    api().patch(`/business-formats/${format.id}/fields/${emptyId}`, { type: 'number' }),
  );
  t.equal(changed.fields.find((f) => f.id === emptyId)?.type, 'number');
});

t.test('postal-code auto-fill: the mapping and the registry addresses', async (t) => {
  const format = await ok<Format>(
    api().post('/business-formats', {
      name: '住所録',
      fields: [
        { name: '郵便番号', type: 'postal_code' },
        { name: '都道府県', type: 'text' },
        { name: '住所', type: 'long_text' },
        { name: '件数', type: 'number' },
      ],
    }),
    201,
  );
  const [postal, prefecture, address, countField] = format.fields;
  const url = (code: string, fieldId = postal?.id) =>
    `/business-formats/${format.id}/postal-fill?fieldId=${fieldId}&code=${encodeURIComponent(code)}`;
  t.same(
    await ok(api().get(url('100-0001'))),
    { postalCode: '1000001', matches: [] },
    'auto-fill OFF',
  );

  refused(
    t,
    await api().patch(`/business-formats/${format.id}/fields/${postal?.id}`, {
      postalCityFieldId: countField?.id,
    }),
    422,
    'invalid_postal_mapping',
    'a number field is no address field',
  );
  refused(
    t,
    await api().patch(`/business-formats/${format.id}/fields/${postal?.id}`, {
      postalCityFieldId: postal?.id,
    }),
    422,
    'invalid_postal_mapping',
    'not itself',
  );
  const mapped = await ok<Format>(
    api().patch(`/business-formats/${format.id}/fields/${postal?.id}`, {
      postalAutofill: true,
      postalPrefectureFieldId: prefecture?.id,
      postalOtherFieldId: address?.id,
    }),
  );
  t.match(mapped.fields[0], {
    postalAutofill: true,
    postalPrefectureFieldId: prefecture?.id,
    postalCityFieldId: null,
    postalOtherFieldId: address?.id,
  });

  // The real registry arrives with crm/postal; the service is tested with a small one.
  const registry: PostalLookup = {
    find: (code) =>
      code === '1000001'
        ? [{ postalCode: '1000001', prefecture: '東京都', city: '千代田区', street: '千代田' }]
        : [],
  };
  const service = createBusinessFormatsService({
    db: app.database.db,
    clock: systemClock,
    postal: registry,
  });
  t.same(service.postalFill(format.id, postal?.id ?? 0, '〒100-0001'), {
    postalCode: '1000001',
    matches: [
      {
        address: { prefecture: '東京都', city: '千代田区', street: '千代田' },
        fields: { [String(prefecture?.id)]: '東京都', [String(address?.id)]: '千代田区千代田' },
      },
    ],
  });
  t.same(service.postalFill(format.id, postal?.id ?? 0, '9999999').matches, []);

  refused(t, await api().get(url('12-34')), 422, 'not_a_postal_code', 'bad code');
  refused(
    t,
    await api().get(url('1000001', prefecture?.id)),
    422,
    'not_a_postal_code_field',
    'not postal',
  );
  refused(t, await api().get(url('1000001', 99999)), 404, 'not_found', 'no field');
  // Deleting a mapped field unmaps it.
  await ok(api().delete(`/business-formats/${format.id}/fields/${prefecture?.id}`));
  t.equal(
    (await ok<Format>(api().get(`/business-formats/${format.id}`))).fields[0]
      ?.postalPrefectureFieldId,
    null,
  );
});

t.test('custom fields: CRUD, search by name and category, values kept from breaking', async (t) => {
  const status = await ok<{ id: number }>(
    api().post('/custom-fields', {
      name: '対応ステータス',
      category: 'case',
      type: 'list',
      options: ['未', '済'],
    }),
    201,
  );
  const text = await ok<{ id: number }>(
    api().post('/custom-fields', { name: 'カスタムテキスト', category: 'customer', type: 'text' }),
    201,
  );
  const rank = await ok<{ id: number }>(
    api().post('/custom-fields', {
      name: 'ランク',
      category: 'customer',
      type: 'list',
      options: ['A', 'B'],
    }),
    201,
  );
  t.match(await ok(api().get(`/custom-fields/${status.id}`)), {
    name: '対応ステータス',
    category: 'case',
    type: 'list',
    options: ['未', '済'],
  });
  t.equal((await ok<{ total: number }>(api().get('/custom-fields?category=customer'))).total, 2);
  t.equal((await ok<{ total: number }>(api().get('/custom-fields?name=ステータス'))).total, 1);
  // The same name in the other category is another field.
  await ok(api().post('/custom-fields', { name: 'ランク', category: 'case', type: 'text' }), 201);

  const customer = await ok<{ id: number }>(
    api().post('/customers', {
      name: 'カスタム 花子',
      custom: { [String(text.id)]: 'メモ', [String(rank.id)]: 'A' },
    }),
    201,
  );
  const before = await everything();
  const cases: [Promise<Res>, number, string][] = [
    [
      api().post('/custom-fields', { name: 'ランク', category: 'customer', type: 'text' }),
      409,
      'name_taken',
    ],
    [
      api().post('/custom-fields', { name: 'l', category: 'customer', type: 'list' }),
      422,
      'options_required',
    ],
    [
      api().post('/custom-fields', { name: 'c', category: 'customer', type: 'checkbox' }),
      400,
      'validation_failed',
    ],
    [
      api().post('/custom-fields', { name: 'c', category: 'other', type: 'text' }),
      400,
      'validation_failed',
    ],
    [api().patch(`/custom-fields/${text.id}`, { category: 'case' }), 400, 'validation_failed'],
    [api().patch(`/custom-fields/${text.id}`, { type: 'number' }), 409, 'field_in_use'],
    [api().patch(`/custom-fields/${rank.id}`, { options: ['B'] }), 409, 'option_in_use'],
    [api().patch(`/custom-fields/${rank.id}`, { name: 'カスタムテキスト' }), 409, 'name_taken'],
    [api().patch('/custom-fields/99999', { name: 'x' }), 404, 'not_found'],
    [api().delete('/custom-fields/99999'), 404, 'not_found'],
  ];
  for (const [res, statusCode, code] of cases)
    refused(t, await res, statusCode, code, `${statusCode} ${code}`);
  t.same(await everything(), before, 'nothing changed');

  await ok(api().patch(`/custom-fields/${rank.id}`, { options: ['A', 'C'], name: 'ランク2' }));
  t.equal((await api().delete(`/custom-fields/${text.id}`)).statusCode, 204);
  const after = await ok<{ custom: Record<string, string> }>(
    api().get(`/customers/${customer.id}`),
  );
  t.same(after.custom, { [String(rank.id)]: 'A' }, 'the deleted field’s value went with it');
});

t.test('permissions: view, update, delete of each', async (t) => {
  const role = await ok<{ id: number }>(
    api().post('/roles', {
      name: 'format viewers',
      permissions: ['business_formats.view', 'custom_fields.view'],
    }),
    201,
  );
  await ok(
    api().post('/agents', {
      loginId: 'fmtview',
      name: 'v',
      nickname: 'v',
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  const token = ((await app.login('fmtview', 'Secret123')).json() as { token: string }).token;
  const viewer = api(token);
  t.equal((await viewer.get('/business-formats')).statusCode, 200);
  t.equal((await viewer.get('/custom-fields')).statusCode, 200);
  const before = await everything();
  for (const res of [
    viewer.post('/business-formats', { name: 'no' }),
    viewer.patch('/business-formats/1', { name: 'no' }),
    viewer.delete('/business-formats/1'),
    viewer.post('/business-formats/1/fields', { name: 'no', type: 'text' }),
    viewer.put('/business-formats/1/agents', { agentIds: [] }),
    viewer.post('/custom-fields', { name: 'no', category: 'customer', type: 'text' }),
    viewer.delete('/custom-fields/1'),
  ])
    refused(t, await res, 403, 'permission_denied', 'viewer');
  await createAgent(app, { loginId: 'fmtagent' });
  const agentToken = ((await app.login('fmtagent', 'Secret123')).json() as { token: string }).token;
  refused(t, await api(agentToken).get('/business-formats'), 403, 'permission_denied', 'agent');
  t.same(await everything(), before, 'nothing changed');
});
