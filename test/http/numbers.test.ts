/** DIDs, caller IDs, blocked numbers, outbound restrictions (with CSV upload), external transfers, trunks. */
import iconv from 'iconv-lite';
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

const post = async (app: TestApp, url: string, body: unknown) =>
  app.request('POST', url, { token: app.adminToken, body });

t.test(
  'phone numbers: the number is fixed, routes are checked, agents may use it as caller ID',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const op1 = await createAgent(app, { loginId: 'op1', extension: '201', password: 'Operator1' });
    const op2 = await createAgent(app, { loginId: 'op2', extension: '202' });

    const created = await post(app, '/api/v1/phone-numbers', {
      number: '03-1234-0000',
      name: '業務A',
      prefix: '11',
      route: { type: 'agent', agentId: op1 },
      incomingPopupUrl: 'https://crm.example/?num=@@@@',
      agentIds: [op1],
    });
    t.equal(created.statusCode, 201);
    const did = created.json() as {
      id: number;
      number: string;
      label: string;
      route: unknown;
      agentIds: number[];
    };
    t.match(did, {
      number: '0312340000',
      label: '0312340000(業務A)',
      route: { type: 'agent', agentId: op1 },
      agentIds: [op1],
    });

    t.equal(
      (await post(app, '/api/v1/phone-numbers', { number: '0312340000', name: 'dup' })).statusCode,
      409,
    );
    t.equal(
      (await post(app, '/api/v1/phone-numbers', { number: 'abc', name: 'x' })).statusCode,
      400,
    );
    t.equal(
      (
        await post(app, '/api/v1/phone-numbers', {
          number: '0312349999',
          name: 'x',
          route: { type: 'agent', agentId: 999 },
        })
      ).statusCode,
      422,
    );
    t.equal(
      (await post(app, '/api/v1/phone-numbers', { number: '0312349999', name: 'x', prefix: '11' }))
        .statusCode,
      409,
    );
    const immutable = await app.request('PATCH', `/api/v1/phone-numbers/${did.id}`, {
      token: app.adminToken,
      body: { number: '0399999999' },
    });
    t.equal(immutable.statusCode, 400, 'the number cannot be changed');
    const renamed = await app.request('PATCH', `/api/v1/phone-numbers/${did.id}`, {
      token: app.adminToken,
      body: { display: 'name', maxChannels: 2 },
    });
    t.match(renamed.json(), { label: '業務A', maxChannels: 2 });

    // The agent picks their caller ID among the numbers they may use (発信通知番号設定).
    const token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
    const mine = (await app.request('GET', '/api/v1/me/caller-id', { token })).json() as {
      current: unknown;
      options: { id: number }[];
    };
    t.equal(mine.current, null, 'no choice yet: 外線発信禁止');
    t.same(
      mine.options.map((o) => o.id),
      [did.id],
    );
    const chosen = await app.request('PUT', '/api/v1/me/caller-id', {
      token,
      body: { phoneNumberId: did.id },
    });
    t.match(chosen.json(), { current: { id: did.id } });

    const other = await post(app, '/api/v1/phone-numbers', { number: '0312340001', name: '業務B' });
    const otherId = (other.json() as { id: number }).id;
    const notPermitted = await app.request('PUT', '/api/v1/me/caller-id', {
      token,
      body: { phoneNumberId: otherId },
    });
    t.equal(notPermitted.statusCode, 422);

    // Withdrawing the number from the agent withdraws the choice.
    await app.request('PUT', `/api/v1/agents/${op1}/phone-numbers`, {
      token: app.adminToken,
      body: { phoneNumberIds: [otherId] },
    });
    t.match((await app.request('GET', '/api/v1/me/caller-id', { token })).json(), {
      current: null,
      options: [{ id: otherId }],
    });
    const set = await app.request('PUT', `/api/v1/agents/${op2}/phone-numbers`, {
      token: app.adminToken,
      body: { phoneNumberIds: [did.id, otherId], callerId: otherId },
    });
    t.match(set.json(), { current: { id: otherId } });
    t.match(
      (
        await app.request('GET', `/api/v1/phone-numbers/${did.id}`, { token: app.adminToken })
      ).json(),
      { agentIds: [op2] },
    );
  },
);

t.test(
  'extensions are one numbering plan: agents, external transfers and feature codes',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    await createAgent(app, { loginId: 'op1', extension: '201' });
    const clash = await post(app, '/api/v1/external-transfers', {
      name: 'HQ',
      number: '0311112222',
      extension: '201',
    });
    t.equal(clash.statusCode, 409);
    t.match(clash.json(), { error: { code: 'extension_taken' } });
    const ok = await post(app, '/api/v1/external-transfers', {
      name: 'HQ',
      number: '03-1111-2222',
      extension: '301',
      useCalledNumber: true,
    });
    t.equal(ok.statusCode, 201);
    t.match(ok.json(), { number: '0311112222', useCalledNumber: true, callerNumber: null });
    const agentClash = await post(app, '/api/v1/agents', {
      loginId: 'op2',
      name: 'n',
      nickname: 'n',
      password: 'Secret123',
      roleId: 3,
      extension: '301',
    });
    t.equal(agentClash.statusCode, 409);
    const feature = await post(app, '/api/v1/external-transfers', {
      name: 'x',
      number: '0311112222',
      extension: '9001',
    });
    t.match(feature.json(), { error: { code: 'extension_reserved' } });

    // A transfer target a DID routes to cannot be deleted.
    const id = (ok.json() as { id: number }).id;
    await post(app, '/api/v1/phone-numbers', {
      number: '0312340000',
      name: 'fwd',
      route: { type: 'external_transfer', externalTransferId: id },
    });
    const inUse = await app.request('DELETE', `/api/v1/external-transfers/${id}`, {
      token: app.adminToken,
    });
    t.equal(inUse.statusCode, 409);
    t.match(inUse.json(), { error: { code: 'in_use', details: { phoneNumbers: ['0312340000'] } } });
  },
);

t.test('blocked numbers: digits only, unique, bulk delete', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = await post(app, '/api/v1/blocked-numbers', {
    number: '090-1111-2222',
    note: 'いたずら電話',
  });
  t.match(a.json(), { number: '09011112222', note: 'いたずら電話' });
  t.equal((await post(app, '/api/v1/blocked-numbers', { number: '09011112222' })).statusCode, 409);
  t.equal((await post(app, '/api/v1/blocked-numbers', { number: '090-abc' })).statusCode, 400);
  const b = await post(app, '/api/v1/blocked-numbers', { number: '0800000000' });
  const ids = [a, b].map((r) => (r.json() as { id: number }).id);
  const deleted = await post(app, '/api/v1/blocked-numbers/bulk-delete', { ids });
  t.same(deleted.json(), { deleted: 2 });
});

t.test(
  'outbound restrictions: per caller ID, CSV upload in UTF-8 or Shift_JIS with every bad row reported',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    await post(app, '/api/v1/outbound-restrictions', { number: '0120000000', note: 'クレーム' });
    t.equal(
      (await post(app, '/api/v1/outbound-restrictions', { number: '0120000000' })).statusCode,
      409,
      'same number, every caller ID',
    );
    t.equal(
      (
        await post(app, '/api/v1/outbound-restrictions', {
          number: '0120000000',
          callerNumber: '0312340000',
        })
      ).statusCode,
      201,
      'for one caller ID is distinct',
    );

    const csv = [
      '発信規制電話番号,発信者番号,備考',
      '03-5555-0001,,業務Bにてクレーム',
      '03-5555-0002,0312340000,',
      'not-a-number,,x',
      '0120000000,,already there',
      '03-5555-0001,,twice in the file',
      '03-5555-0003,12ab,bad caller',
      '03-5555-0004',
    ].join('\r\n');
    const upload = (body: Buffer, query: string) =>
      app.app.inject({
        method: 'POST',
        url: `/api/v1/outbound-restrictions/import?${query}`,
        headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'text/csv' },
        payload: body,
      });

    const sjis = await upload(iconv.encode(csv, 'cp932'), 'header=true');
    t.equal(sjis.statusCode, 200);
    const report = sjis.json() as {
      total: number;
      applied: number;
      skipped: number;
      errors: { row: number; message: string }[];
    };
    t.equal(report.total, 7);
    t.equal(report.applied, 3);
    t.equal(report.skipped, 4);
    t.same(
      report.errors.map((e) => e.row),
      [4, 5, 6, 7],
      'each bad row, by its line in the file',
    );
    t.match(report.errors[0]?.message, /number "not-a-number"/);
    t.match(report.errors[1]?.message, /already restricted/);
    t.match(report.errors[3]?.message, /caller number "12ab"/);

    const list = await app.request('GET', '/api/v1/outbound-restrictions?number=55550001', {
      token: app.adminToken,
    });
    t.match(
      (list.json() as { items: unknown[] }).items,
      [{ number: '0355550001', note: '業務Bにてクレーム' }],
      'Shift_JIS decoded',
    );

    // The same file again, as UTF-8 with a BOM: nothing new, every row reported.
    const again = await upload(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
      'header=true&encoding=utf8',
    );
    t.match(again.json(), { total: 7, applied: 0, skipped: 7 });

    // What Excel's "CSV UTF-8" saves: a BOM, then the column names. With the default
    // header=auto, that first line is seen as the header, not reported as a bad number.
    const excel = await upload(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('発信規制電話番号,発信者番号,備考\r\n03-5555-0009,,from Excel\r\n', 'utf8'),
      ]),
      '',
    );
    t.same(excel.json(), { total: 1, applied: 1, skipped: 0, errors: [] }, 'BOM + header line');
    const noHeader = await upload(Buffer.from('03-5555-0010,,first line is data\n'), '');
    t.match(noHeader.json(), { total: 1, applied: 1 }, 'auto: a first line of data is data');

    // A quote never closed must not swallow the file nor fail the upload: that line is
    // reported, the lines around it are read and applied.
    const quoting = await upload(
      Buffer.from('03-5555-0011,,ok\n"0311111111,,x\n03-5555-0012,,also ok\nabc"d,,x\n'),
      'header=false',
    );
    t.equal(quoting.statusCode, 200);
    t.same(quoting.json(), {
      total: 4,
      applied: 2,
      skipped: 2,
      errors: [
        { row: 2, message: 'not CSV: a quoted cell is never closed' },
        { row: 4, message: 'number "abc"d": must be 2-20 half-width digits (hyphens allowed)' },
      ],
    });
    const control = await upload(Buffer.from('03-5555-0013,,"bad\u202enote"\n'), 'header=false');
    t.match(control.json(), {
      applied: 0,
      errors: [{ row: 1, message: /^note: must not contain/ }],
    });

    const empty = await upload(Buffer.alloc(0), 'header=false');
    t.equal(empty.statusCode, 400);
    const tooBig = await upload(Buffer.alloc(5 * 1024 * 1024 + 10, 0x31), 'header=false');
    t.equal(tooBig.statusCode, 413);
    const total = (
      await app.request('GET', '/api/v1/outbound-restrictions', { token: app.adminToken })
    ).json() as { total: number };
    t.equal(total.total, 9);
  },
);

t.test('trunks: secrets are write-only; registration needs credentials', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const created = await post(app, '/api/v1/trunks', {
    name: 'carrier1',
    host: '127.0.0.2',
    port: 5070,
    username: 'acct',
    secret: 'carrier-secret',
  });
  t.equal(created.statusCode, 201);
  t.match(created.json(), {
    name: 'carrier1',
    hasSecret: true,
    matchAddresses: ['127.0.0.2'],
    registration: 'off',
  });
  t.notOk(created.body.includes('carrier-secret'));
  const noCreds = await post(app, '/api/v1/trunks', {
    name: 'carrier2',
    host: 'sip.example.jp',
    register: true,
  });
  t.equal(noCreds.statusCode, 422);
  t.equal(
    (await post(app, '/api/v1/trunks', { name: 'carrier1', host: '127.0.0.3' })).statusCode,
    409,
  );
  t.equal(
    (await post(app, '/api/v1/trunks', { name: 'Bad Name', host: '127.0.0.3' })).statusCode,
    400,
  );
});
