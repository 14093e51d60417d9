/**
 * The autodial list over HTTP (§10-9, §8-1): adding a customer (its phone list, else its phone
 * fields), a bare number; the search by every criterion; the detail's edit with system and
 * campaign results; live entries refused; bulk edit and delete all or none; the CSV with the
 * chosen format's fields; adding a customer search and a call list with what was skipped; the
 * customer detail's 自動発信 tab; permissions.
 */
import t from 'tap';
import { callListMembers, callLists } from '../../src/call-lists/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import {
  client,
  customer,
  engineSets,
  insertCampaign,
  ok,
  tokenOf,
  type AddReport,
  type Entry,
  type Res,
} from '../support/campaign-entries.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const error = (res.json() as ErrorBody).error;
  t.equal(error.code, code, what);
  return error;
}

let app: TestApp;
let api: ReturnType<typeof client>;
let sales: { id: number; fields: { id: number; name: string }[] };
let mobileField: string;
let memberField: string;

t.before(async () => {
  app = await buildTestApp();
  api = client(app);
  sales = await ok(
    api.post('/business-formats', {
      name: '営業',
      fields: [
        { name: '会員番号', type: 'number' },
        { name: '携帯', type: 'phone' },
      ],
    }),
    201,
  );
  mobileField = String(sales.fields.find((f) => f.name === '携帯')?.id);
  memberField = String(sales.fields.find((f) => f.name === '会員番号')?.id);
});
t.teardown(() => app.close());

const search = async (query: string, token?: string) =>
  ok<{ items: Entry[]; total: number }>(client(app, token).get(`/campaigns/entries?${query}`));
const idsOf = (page: { items: { id: number }[] }) => page.items.map((e) => e.id);

t.test(
  'entries: a customer by its phones, a bare number; searched by every criterion',
  async (t) => {
    const results: [number, string][] = [
      [1, '受注'],
      [2, '検討'],
    ];
    const a = insertCampaign(app, 'A 秋の案内', results);
    const b = insertCampaign(app, 'B 冬の案内');
    const listed = await customer(app, { name: '山田商店', phones: ['03-1111-2222'] });
    const byField = await customer(app, {
      name: '佐藤工業',
      formatId: sales.id,
      fields: { [mobileField]: '090-1234-5678', [memberField]: '42' },
    });
    const silent = await customer(app, { name: '電話なし' });

    const first = await ok<Entry>(
      api.post(`/campaigns/${a}/entries`, { customerId: listed.id }),
      201,
    );
    t.match(first, {
      campaign: { id: a, name: 'A 秋の案内' },
      customer: { id: listed.id, displayId: `#C${listed.id}`, name: '山田商店' },
      phone: '0311112222',
      result: { key: 'waiting', label: '発信待機中', kind: 'system' },
      callCount: 0,
      status: 'waiting',
      reservedAt: null,
      assignee: null,
    });
    t.same(
      first.choices?.slice(0, 3).map((c) => c.label),
      ['受注', '検討', '発信待機中'],
      'the result buttons: the campaign’s, then the system results',
    );
    const second = await ok<Entry>(
      api.post(`/campaigns/${a}/entries`, { customerId: byField.id }),
      201,
    );
    t.equal(second.phone, '09012345678', 'no phone list: the phone field’s number');
    refused(
      t,
      await api.post(`/campaigns/${a}/entries`, { customerId: silent.id }),
      422,
      'no_phone',
      'no phone',
    );
    refused(
      t,
      await api.post(`/campaigns/${a}/entries`, { customerId: listed.id }),
      409,
      'already_waiting',
      'twice while waiting',
    );
    refused(
      t,
      await api.post(`/campaigns/${a}/entries`, { customerId: 999_999 }),
      422,
      'unknown_customer',
      'no such customer',
    );
    const bare = await ok<Entry>(
      api.post(`/campaigns/${a}/entries`, { phone: '0120-000-111' }),
      201,
    );
    t.match(bare, { customer: null, phone: '0120000111' });
    refused(
      t,
      await api.post(`/campaigns/${a}/entries`, { phone: '03-abc' }),
      400,
      'validation_failed',
      'letters',
    );
    refused(t, await api.post(`/campaigns/${a}/entries`, {}), 400, 'validation_failed', 'nothing');
    refused(
      t,
      await api.post(`/campaigns/999999/entries`, { phone: '0311' }),
      404,
      'not_found',
      'campaign',
    );
    const other = await ok<Entry>(
      api.post(`/campaigns/${b}/entries`, { phone: '0311112222' }),
      201,
    );

    // What the dialer would have done by now.
    const adminId = (await ok<{ id: number }>(api.get('/me'))).id;
    engineSets(app, second.id, {
      result: 'busy',
      callCount: 2,
      lastDialedAt: new Date('2026-04-01T01:02:00Z'),
      lastAgentId: adminId,
    });
    engineSets(app, bare.id, { phase: 'dialing', callCount: 1 });

    t.same(
      idsOf(await search(`campaignId=${a}`)),
      [first.id, second.id, bare.id],
      'in order added',
    );
    t.same(idsOf(await search(`campaignId=${b}`)), [other.id]);
    const busy = await search(`campaignId=${a}&results=busy`);
    t.same(idsOf(busy), [second.id]);
    t.match(busy.items[0], {
      result: { label: 'ビジー' },
      callCount: 2,
      lastDialedAt: '2026-04-01T01:02:00.000Z',
      lastAgent: { id: adminId },
      status: 'dialled',
    });
    t.same(idsOf(await search(`campaignId=${a}&results=waiting,busy`)), [
      first.id,
      second.id,
      bare.id,
    ]);
    t.same(idsOf(await search(`campaignId=${a}&callCount=2`)), [second.id]);
    t.same(idsOf(await search(`campaignId=${a}&callCountMin=1`)), [second.id, bare.id]);
    t.same(idsOf(await search(`campaignId=${a}&callCountMax=1`)), [first.id, bare.id]);
    t.same(idsOf(await search(`campaignId=${a}&statuses=dialing`)), [bare.id]);
    t.same(idsOf(await search(`campaignId=${a}&statuses=waiting,dialled`)), [first.id, second.id]);
    t.same(idsOf(await search(`formatId=${sales.id}`)), [second.id], '業務');
    t.same(idsOf(await search(`campaignId=${a}&reserved=true`)), []);
    t.equal((await search(`campaignId=${a}&limit=1`)).total, 3);
    refused(
      t,
      await api.get('/campaigns/entries?results=DROP TABLE'),
      400,
      'validation_failed',
      'result',
    );
    refused(
      t,
      await api.get('/campaigns/entries?statuses=ringing'),
      400,
      'validation_failed',
      'status',
    );

    await t.test(
      'the detail: results, 自分を設定, reservation, remarks; live entries are the engine’s',
      async (t) => {
        const won = await ok<Entry>(api.patch(`/campaigns/entries/${first.id}`, { result: '1' }));
        t.match(won.result, { key: '1', label: '受注', kind: 'campaign' });
        t.equal(won.status, 'dialled');
        refused(
          t,
          await api.patch(`/campaigns/entries/${first.id}`, { result: '7' }),
          422,
          'unknown_result',
          'a number the campaign lacks',
        );
        refused(
          t,
          await api.patch(`/campaigns/entries/${other.id}`, { result: '1' }),
          422,
          'unknown_result',
          'another campaign’s result',
        );
        const mine = await ok<Entry>(
          api.patch(`/campaigns/entries/${first.id}`, {
            assigneeId: 'me',
            reservedAt: '2026-04-02T03:00:00.000Z',
            remarks: '午後希望',
            result: 'waiting',
          }),
        );
        t.match(mine, {
          assignee: { id: adminId },
          reservedAt: '2026-04-02T03:00:00.000Z',
          remarks: '午後希望',
          status: 'waiting',
        });
        t.same(idsOf(await search(`assigneeId=${adminId}`)), [first.id]);
        t.same(idsOf(await search(`campaignId=${a}&reserved=true`)), [first.id]);
        const cleared = await ok<Entry>(
          api.patch(`/campaigns/entries/${first.id}`, { assigneeId: null, reservedAt: null }),
        );
        t.match(cleared, { assignee: null, reservedAt: null, remarks: '午後希望' });
        refused(
          t,
          await api.patch(`/campaigns/entries/${first.id}`, { assigneeId: 999_999 }),
          422,
          'unknown_agent',
          'no such agent',
        );
        refused(
          t,
          await api.patch(`/campaigns/entries/${first.id}`, {}),
          400,
          'validation_failed',
          'empty',
        );
        t.match(await ok<Entry>(api.get(`/campaigns/entries/${first.id}`)), {
          remarks: '午後希望',
        });
        refused(t, await api.get('/campaigns/entries/999999'), 404, 'not_found', 'no entry');

        refused(
          t,
          await api.patch(`/campaigns/entries/${bare.id}`, { result: 'stopped' }),
          409,
          'entry_in_call',
          'being dialled',
        );
        refused(
          t,
          await api.delete(`/campaigns/entries/${bare.id}`),
          409,
          'entry_in_call',
          'delete live',
        );
        t.equal((await ok<Entry>(api.get(`/campaigns/entries/${bare.id}`))).result.key, 'waiting');
      },
    );

    await t.test('bulk edit: every ticked entry or none', async (t) => {
      const before = await search(`campaignId=${a}`);
      const missing = refused(
        t,
        await api.post('/campaigns/entries/bulk', {
          ids: [first.id, second.id, 999_999],
          set: { result: 'stopped' },
        }),
        422,
        'bulk_edit_refused',
        'one unknown id',
      );
      t.match(missing.details, [{ id: 999_999, code: 'not_found' }]);
      const live = refused(
        t,
        await api.post('/campaigns/entries/bulk', {
          ids: [first.id, bare.id],
          set: { result: 'stopped' },
        }),
        422,
        'bulk_edit_refused',
        'one live entry',
      );
      t.match(live.details, [{ id: bare.id, code: 'entry_in_call' }]);
      const foreign = refused(
        t,
        await api.post('/campaigns/entries/bulk', {
          ids: [first.id, other.id],
          set: { result: '2' },
        }),
        422,
        'bulk_edit_refused',
        'a result one campaign lacks',
      );
      t.match(foreign.details, [{ id: other.id, code: 'unknown_result' }]);
      t.same(await search(`campaignId=${a}`), before, 'nothing changed');

      const agent = await createAgent(app, { loginId: 'bulk1' });
      t.same(
        await ok(
          api.post('/campaigns/entries/bulk', {
            ids: [first.id, second.id],
            set: { result: '2', assigneeId: agent, reservedAt: '2026-04-03T00:00:00.000Z' },
          }),
        ),
        { updated: 2 },
      );
      for (const e of (await search(`campaignId=${a}&ids=${first.id},${second.id}`)).items)
        t.match(e, {
          result: { label: '検討' },
          assignee: { id: agent },
          reservedAt: '2026-04-03T00:00:00.000Z',
        });
      await ok(
        api.post('/campaigns/entries/bulk', {
          ids: [first.id, second.id],
          set: { assigneeId: null, reservedAt: null },
        }),
      );
      t.same(idsOf(await search(`campaignId=${a}&reserved=true`)), [], 'reservations cleared');
      t.same(idsOf(await search(`assigneeId=${agent}`)), [], 'assignees cleared');
    });

    await t.test('the CSV: the search’s entries, and the chosen format’s fields', async (t) => {
      await ok(api.patch(`/campaigns/entries/${second.id}`, { remarks: '=HYPERLINK("x")' }));
      const plain = await api.get(`/campaigns/entries.csv?campaignId=${a}`);
      t.equal(plain.statusCode, 200);
      t.match(plain.headers['content-type'], /text\/csv; charset=utf-8/);
      const lines = plain.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      t.equal(
        lines[0],
        '"ID","キャンペーン","顧客ID","顧客","電話番号","結果","コール数","発信日時","エージェント","予約","担当","備考","ステータス"',
      );
      t.equal(lines.length, 4, 'header and three entries');
      t.match(
        lines[2],
        `"${second.id}","A 秋の案内","#C${byField.id}","佐藤工業","09012345678","検討","2","2026-04-01 10:02"`,
      );
      t.match(lines[2], `"'=HYPERLINK(""x"")"`, 'a formula is neutralised');

      const withFormat = await api.get(`/campaigns/entries.csv?formatId=${sales.id}`);
      const rows = withFormat.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      t.match(rows[0], /"ステータス","会員番号","携帯"$/);
      t.equal(rows.length, 2);
      t.match(rows[1], /"発信済み","42","09012345678"$/, 'the customer’s format fields');
      refused(
        t,
        await api.get('/campaigns/entries.csv?formatId=999999'),
        404,
        'not_found',
        'format',
      );
    });

    await t.test('bulk delete, and delete', async (t) => {
      const extra = await ok<Entry>(api.post(`/campaigns/${b}/entries`, { phone: '0311' }), 201);
      refused(
        t,
        await api.post('/campaigns/entries/bulk-delete', { ids: [extra.id, bare.id] }),
        422,
        'bulk_delete_refused',
        'a live entry',
      );
      t.same(idsOf(await search(`campaignId=${b}`)), [other.id, extra.id], 'nothing deleted');
      t.same(await ok(api.post('/campaigns/entries/bulk-delete', { ids: [extra.id] })), {
        deleted: 1,
      });
      t.equal((await api.delete(`/campaigns/entries/${other.id}`)).statusCode, 204);
      t.same(idsOf(await search(`campaignId=${b}`)), []);
      refused(t, await api.delete(`/campaigns/entries/${other.id}`), 404, 'not_found', 'gone');
    });
  },
);

t.test(
  'a customer search and a call list are added, skipping the phoneless and the waiting',
  async (t) => {
    const c = insertCampaign(app, 'C 一括');
    const made: { id: number }[] = [];
    for (const [name, phones] of [
      ['一括 一', ['0311110001']],
      ['一括 二', ['0311110002']],
      ['一括 三', []],
      ['一括 四', ['0311110004']],
      ['一括 五', ['0311110005']],
    ] as const)
      made.push(await customer(app, { name, phones: [...phones] }));
    await customer(app, { name: '別件', phones: ['0311110009'] });
    await ok(api.post(`/campaigns/${c}/entries`, { customerId: made[3]?.id }), 201);

    t.same(
      await ok<AddReport>(
        api.post(`/campaigns/${c}/entries/from-customers?name=${encodeURIComponent('一括')}`),
      ),
      {
        added: 3,
        skipped: 2,
        noPhone: 1,
        alreadyWaiting: 1,
      },
    );
    const entries = await search(`campaignId=${c}`);
    t.same(
      entries.items.map((e) => e.customer?.name).sort(),
      ['一括 一', '一括 二', '一括 四', '一括 五'].sort(),
      'the search’s customers, once each',
    );
    t.same(
      await ok<AddReport>(
        api.post(`/campaigns/${c}/entries/from-customers?ids=${made[0]?.id},${made[2]?.id}`),
      ),
      {
        added: 0,
        skipped: 2,
        noPhone: 1,
        alreadyWaiting: 1,
      },
      'ticked rows',
    );
    refused(
      t,
      await api.post(`/campaigns/${c}/entries/from-customers?colour=red`),
      400,
      'validation_failed',
      'unknown criterion',
    );
    refused(
      t,
      await api.post(`/campaigns/999999/entries/from-customers?name=x`),
      404,
      'not_found',
      'campaign',
    );

    // A customer with a finished entry is called again: only waiting ones are skipped.
    const firstEntry = entries.items.find((e) => e.customer?.id === made[0]?.id);
    engineSets(app, firstEntry?.id ?? 0, { result: 'timeout', callCount: 1 });

    const db = app.database.db;
    const at = new Date('2026-04-01T00:00:00Z');
    const list = db
      .insert(callLists)
      .values({ name: 'MOTリスト', createdAt: at, createdBy: 't', updatedAt: at, updatedBy: 't' })
      .returning()
      .get();
    [made[4], made[2], made[0]].forEach((m, i) =>
      db
        .insert(callListMembers)
        .values({ listId: list.id, customerId: m?.id ?? 0, position: i + 1, addedAt: at })
        .run(),
    );
    t.same(
      await ok<AddReport>(
        api.post(`/campaigns/${c}/entries/from-call-list`, { callListId: list.id }),
      ),
      {
        added: 1,
        skipped: 2,
        noPhone: 1,
        alreadyWaiting: 1,
      },
    );
    const after = await search(`campaignId=${c}&results=waiting`);
    t.equal(after.items.filter((e) => e.customer?.id === made[0]?.id).length, 1, 'called again');
    refused(
      t,
      await api.post(`/campaigns/${c}/entries/from-call-list`, { callListId: 999_999 }),
      422,
      'unknown_call_list',
      'no such list',
    );

    // An agent may register (customers.new_autodial) only the customers they may see (CRM権限).
    await createAgent(app, { loginId: 'crm1' });
    const agent = await tokenOf(app, 'crm1');
    const d = insertCampaign(app, 'D 権限');
    t.same(
      await ok<AddReport>(
        client(app, agent).post(
          `/campaigns/${d}/entries/from-customers?name=${encodeURIComponent('一括')}`,
        ),
      ),
      { added: 0, skipped: 0, noPhone: 0, alreadyWaiting: 0 },
      'no format of theirs: nobody',
    );
  },
);

t.test('the customer detail’s 自動発信 tab and + 新規自動発信', async (t) => {
  const e = insertCampaign(app, 'E 顧客タブ', [[1, '受注']]);
  const someone = await customer(app, { name: 'タブ顧客', phones: ['0422000001'] });
  const added = await ok<{
    entryId: number;
    campaignName: string;
    phone: string;
    result: { label: string };
  }>(api.post(`/customers/${someone.id}/autodial`, { campaignId: e }), 201);
  t.match(added, {
    campaignName: 'E 顧客タブ',
    phone: '0422000001',
    result: { label: '発信待機中' },
  });
  refused(
    t,
    await api.post(`/customers/${someone.id}/autodial`, { campaignId: e }),
    409,
    'already_waiting',
    'twice',
  );
  refused(
    t,
    await api.post(`/customers/${someone.id}/autodial`, { campaignId: 999_999 }),
    422,
    'unknown_campaign',
    'campaign',
  );
  refused(
    t,
    await api.post(`/customers/999999/autodial`, { campaignId: e }),
    404,
    'not_found',
    'customer',
  );
  engineSets(app, added.entryId, { lastDialedAt: new Date('2026-04-01T05:00:00Z'), result: '1' });
  const tab = await ok<{
    campaigns: { entryId: number; lastDialedAt: string; result: { label: string } }[];
  }>(api.get(`/customers/${someone.id}/dial-lists`));
  t.match(tab.campaigns, [
    { entryId: added.entryId, lastDialedAt: '2026-04-01T05:00:00.000Z', result: { label: '受注' } },
  ]);

  const viaTab = await ok<Entry>(
    api.patch(`/customers/${someone.id}/autodial/${added.entryId}`, { result: 'stopped' }),
  );
  t.equal(viaTab.status, 'stopped');
  const elsewhere = await customer(app, { name: '別の顧客', phones: ['0422000002'] });
  refused(
    t,
    await api.get(`/customers/${elsewhere.id}/autodial/${added.entryId}`),
    404,
    'not_found',
    'another customer’s entry',
  );
});

t.test('permissions', async (t) => {
  await createAgent(app, { loginId: 'floor1' });
  const agent = client(app, await tokenOf(app, 'floor1'));
  const f = insertCampaign(app, 'F 権限');
  for (const res of [
    await agent.get('/campaigns/entries'),
    await agent.get('/campaigns/entries.csv'),
    await agent.get('/campaigns/entries/1'),
    await agent.post('/campaigns/entries/bulk', { ids: [1], set: { result: 'stopped' } }),
    await agent.post(`/campaigns/${f}/entries`, { phone: '0311' }),
    await agent.post(`/campaigns/${f}/entries/from-call-list`, { callListId: 1 }),
    await agent.delete('/campaigns/entries/1'),
  ])
    t.equal(res.statusCode, 403, res.body);

  const role = await ok<{ id: number }>(
    api.post('/roles', { name: 'CRMだけ', permissions: ['customers.view', 'customers.update'] }),
    201,
  );
  await ok(
    api.post('/agents', {
      loginId: 'crmonly',
      name: 'C',
      nickname: 'C',
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  const crmOnly = client(app, await tokenOf(app, 'crmonly'));
  t.equal((await crmOnly.post(`/customers/1/autodial`, { campaignId: f })).statusCode, 403);
  t.equal((await crmOnly.post(`/campaigns/${f}/entries/from-customers?name=x`)).statusCode, 403);
});
