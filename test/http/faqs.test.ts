/**
 * /faqs over HTTP (§8-3): CRUD with tags; search by 題名 and by 詳細 (free word) through the
 * trigram index with Japanese queries — long terms through the index, 1–2 character terms by
 * LIKE — the index following every change; tag filter; paging; FTS5 syntax in a query is plain
 * text; who may do what; bad input refused with the error shape and nothing changed.
 */
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface Faq {
  id: number;
  title: string;
  details: string;
  tags: { id: number; name: string; fontColor: string; backgroundColor: string }[];
  createdBy: string;
  updatedAt: string;
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
const faq = (body: Record<string, unknown>) => created<Faq>(api().post('/faqs', body));
const tag = (name: string) => created<{ id: number }>(api().post('/tags', { name }));

const everything = async () => (await api().get('/faqs?limit=500')).json() as unknown;
/** The titles found by a search, sorted. */
async function found(query: Record<string, string>): Promise<string[]> {
  const res = await api().get(`/faqs?limit=500&${new URLSearchParams(query).toString()}`);
  if (res.statusCode !== 200) throw new Error(`search: ${res.statusCode} ${res.body}`);
  return (res.json() as { items: Faq[] }).items.map((f) => f.title).sort();
}

const ENTRIES = [
  ['返品の方法について', '商品到着後7日以内であれば返品を受け付けます。'],
  ['配送料金はいくらですか', '配送料金は全国一律500円です。北海道・沖縄は別途かかります。'],
  ['解約手続きの流れ', 'マイページから解約手続きを行ってください。'],
  ['パスワードを忘れた', 'ログイン画面の「パスワードを忘れた方」から再設定できます。'],
  ['支払い方法', 'クレジットカード、コンビニ払い、銀行振込に対応しています。'],
  ['Shipping abroad', 'We ship to most countries via EMS.'],
] as const;

t.test('Japanese search by title and by free word', async (t) => {
  const ids = [];
  for (const [title, details] of ENTRIES) ids.push((await faq({ title, details })).id);
  const [returns, shipping, cancel, password, payment, abroad] = ENTRIES.map(([title]) => title);

  // Long terms: the trigram index.
  t.same(await found({ q: '配送料金' }), [shipping], '配送料金');
  t.same(await found({ q: '解約手続き' }), [cancel], '解約手続き');
  t.same(await found({ q: '全国一律' }), [shipping], 'in the details only');
  t.same(await found({ q: 'パスワード' }), [password], 'katakana');
  t.same(await found({ q: '忘れた方' }), [password], 'mixed kanji and kana, details only');
  t.same(await found({ title: '忘れた方' }), [], '… which is not in the title');
  t.same(await found({ title: 'パスワードを忘れ' }), [password], 'title');
  t.same(await found({ q: 'コンビニ払い' }), [payment]);
  t.same(await found({ q: '方法' }).then((x) => x), [payment, returns], '2 characters: LIKE');
  t.same(await found({ title: '方法' }), [payment, returns]);
  t.same(await found({ q: '返品' }), [returns], '返品 (2 characters)');
  t.same(await found({ q: '円' }), [shipping], '1 character');
  t.same(await found({ q: '配送料金　沖縄' }), [shipping], 'two terms, a full-width space');
  t.same(await found({ q: '返品 7日' }), [returns], 'a long and a short term');
  t.same(await found({ q: '配送料金 返品' }), [], 'every term must occur');
  t.same(await found({ q: 'shipping' }), [abroad], 'ASCII, any case');
  t.same(await found({ q: 'EMS' }), [abroad]);
  t.same(await found({ q: '存在しない言葉' }), [], 'nothing');

  // FTS5 syntax in a query is searched as text, never an error.
  for (const q of [
    '"',
    '返品" OR "解約',
    'NEAR(返品 解約)',
    'title:返品',
    '*',
    'AND',
    '(((',
    '-返品',
  ])
    t.equal((await api().get(`/faqs?${new URLSearchParams({ q }).toString()}`)).statusCode, 200, q);
  t.same(await found({ q: '返品" OR "解約' }), [], 'quotes are text');

  // With a tag, and paged: the index path counts and pages like the plain list.
  const shippingTag = await tag('配送関連');
  await api().patch(`/faqs/${String(ids[1])}`, { tagIds: [shippingTag.id] });
  t.same(await found({ q: '配送料金', tagId: String(shippingTag.id) }), [shipping]);
  t.same(await found({ q: '解約手続き', tagId: String(shippingTag.id) }), []);
  t.same(await found({ q: '配送料金 沖縄', tagId: String(shippingTag.id) }), [shipping]);
  for (let i = 1; i <= 5; i += 1) ids.push((await faq({ title: `よくある質問${String(i)}` })).id);
  const page = (
    await api().get(`/faqs?q=${encodeURIComponent('よくある質問')}&limit=2&offset=1`)
  ).json() as { items: Faq[]; total: number };
  t.equal(page.total, 5);
  t.same(
    page.items.map((f) => f.title),
    ['よくある質問4', 'よくある質問3'],
    'newest entry first',
  );

  for (const id of ids) await api().delete(`/faqs/${String(id)}`);
  await api().delete(`/tags/${String(shippingTag.id)}`);
});

t.test('the index follows every change: create, update, delete', async (t) => {
  const entry = await faq({
    title: '領収書の発行',
    details: '領収書はマイページから発行できます。',
  });
  t.same(await found({ q: '領収書' }), ['領収書の発行']);
  await api().patch(`/faqs/${entry.id}`, { details: '請求書払いにも対応しています。' });
  t.same(await found({ q: 'マイページ' }), [], 'the old details are gone from the index');
  t.same(await found({ q: '請求書払い' }), ['領収書の発行'], 'the new details are in it');
  await api().patch(`/faqs/${entry.id}`, { title: '請求書の発行' });
  t.same(await found({ title: '領収書の' }), []);
  t.same(await found({ title: '請求書の' }), ['請求書の発行']);
  await api().delete(`/faqs/${entry.id}`);
  t.same(await found({ q: '請求書' }), [], 'a deleted entry is gone from the index');
  const check = app.database.sqlite
    .prepare("INSERT INTO faq_search(faq_search, rank) VALUES ('integrity-check', 1)")
    .run();
  t.ok(check, 'the index agrees with the table');
});

t.test('CRUD with tags, the tag filter and paging', async (t) => {
  const urgent = await tag('至急');
  const billing = await tag('請求');
  const a = await faq({ title: 'A 至急', tagIds: [urgent.id, billing.id, urgent.id] });
  t.same(
    a.tags.map((x) => x.name),
    ['至急', '請求'].sort(),
    'tags, each once, by name',
  );
  t.match(a, { details: '', createdBy: 'admin' });
  const b = await faq({ title: 'B 請求', details: 'x', tagIds: [billing.id] });
  const c = await faq({ title: 'C' });
  t.same(await found({ tagId: String(urgent.id) }), ['A 至急']);
  t.same(await found({ tagId: String(billing.id) }), ['A 至急', 'B 請求']);
  t.same(await found({ tagId: String(billing.id), title: 'B 請' }), ['B 請求'], 'with a search');
  t.same((await api().get(`/faqs/${a.id}`)).json(), a);

  const changed = await api().patch(`/faqs/${b.id}`, { tagIds: [urgent.id] });
  t.same(
    (changed.json() as Faq).tags.map((x) => x.id),
    [urgent.id],
    'tags replaced',
  );
  const cleared = await api().patch(`/faqs/${b.id}`, { tagIds: [] });
  t.same((cleared.json() as Faq).tags, []);

  const page = (await api().get('/faqs?limit=2&offset=0')).json() as {
    items: Faq[];
    total: number;
  };
  t.equal(page.total, 3);
  t.same(
    page.items.map((f) => f.title),
    ['C', 'B 請求'],
    'newest entry first',
  );

  t.equal((await api().delete(`/tags/${urgent.id}`)).statusCode, 204);
  t.same(
    ((await api().get(`/faqs/${a.id}`)).json() as Faq).tags.map((x) => x.name),
    ['請求'],
    'a deleted tag leaves the entry',
  );
  for (const f of [a, b, c]) t.equal((await api().delete(`/faqs/${f.id}`)).statusCode, 204);
  t.equal((await api().get(`/faqs/${a.id}`)).statusCode, 404);
  t.equal((await api().delete(`/faqs/${a.id}`)).statusCode, 404);
  await api().delete(`/tags/${billing.id}`);
});

t.test('bad input is refused with the error shape and changes nothing', async (t) => {
  const known = await tag('既知のタグ');
  const entry = await faq({ title: '既存', tagIds: [known.id] });
  const before = await everything();
  const refusals: [
    Promise<{ statusCode: number; json(): unknown; body: string }>,
    number,
    string,
  ][] = [
    [api().post('/faqs', { title: 'x', tagIds: [known.id, 9999] }), 422, 'unknown_tags'],
    [api().patch(`/faqs/${entry.id}`, { title: '変更', tagIds: [9999] }), 422, 'unknown_tags'],
    [api().post('/faqs', {}), 400, 'validation_failed'],
    [api().post('/faqs', { title: '' }), 400, 'validation_failed'],
    [api().post('/faqs', { title: 'a\nb' }), 400, 'validation_failed'],
    [api().post('/faqs', { title: 'x'.repeat(201) }), 400, 'validation_failed'],
    [api().post('/faqs', { title: 'x', details: 'x'.repeat(20001) }), 400, 'validation_failed'],
    [api().post('/faqs', { title: 'x', tagIds: [0] }), 400, 'validation_failed'],
    [api().post('/faqs', { title: 'x', tagIds: ['1'] }), 400, 'validation_failed'],
    [api().post('/faqs', { title: 'x', tagIds: 1 }), 400, 'validation_failed'],
    [api().patch(`/faqs/${entry.id}`, {}), 400, 'validation_failed'],
    [api().patch('/faqs/99999', { title: 'y' }), 404, 'not_found'],
    [api().get('/faqs/0'), 400, 'validation_failed'],
    [api().get('/faqs?q='), 400, 'validation_failed'],
    [api().get(`/faqs?q=${'x'.repeat(201)}`), 400, 'validation_failed'],
    [api().get('/faqs?tagId=abc'), 400, 'validation_failed'],
  ];
  for (const [pending, status, code] of refusals) {
    const res = await pending;
    t.equal(res.statusCode, status, res.body);
    t.equal((res.json() as ErrorBody).error.code, code);
  }
  t.same(await everything(), before, 'nothing changed');
  const unknown = await api().post('/faqs', { title: 'x', tagIds: [9998, 9999] });
  t.same((unknown.json() as ErrorBody).error.details, { unknownIds: [9998, 9999] });
  await api().delete(`/faqs/${entry.id}`);
  await api().delete(`/tags/${known.id}`);
});

t.test('permissions: an agent may read and search, not change', async (t) => {
  const entry = await faq({ title: '権限テスト' });
  await createAgent(app, { loginId: 'faqop', password: 'Operator1' });
  const agent = ((await app.login('faqop', 'Operator1')).json() as { token: string }).token;
  const before = await everything();
  t.equal((await api(agent).get('/faqs?q=権限テスト')).statusCode, 200);
  t.equal((await api(agent).get(`/faqs/${entry.id}`)).statusCode, 200);
  for (const res of [
    await api(agent).post('/faqs', { title: 'new' }),
    await api(agent).patch(`/faqs/${entry.id}`, { title: 'renamed' }),
    await api(agent).delete(`/faqs/${entry.id}`),
  ]) {
    t.equal(res.statusCode, 403);
    t.equal((res.json() as ErrorBody).error.code, 'permission_denied');
  }
  t.equal((await app.request('GET', '/api/v1/faqs')).statusCode, 401);
  t.same(await everything(), before, 'nothing changed');
});
