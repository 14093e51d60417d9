/**
 * IVRs with a SIPp carrier calling a DID (real Asterisk; keys as SIP INFO): the schedule rule
 * that covers now sends the call to a group whose agent answers, the one that does not is
 * skipped; on a specified date a rule without ★ does not match and the default routing plays;
 * key 2 of the menu reaches the group; an invalid key replays the menu, and the last one falls
 * to the default, as no key at all does; a key pressed during the menu stops it at once; a loop
 * that got into the database is stopped by the hop limit. Each call's history row shows the way
 * it took.
 */
import t from 'tap';
import { toneWav, uploadAudio } from '../support/audio.js';
import {
  agentWithPhone,
  answer,
  carrier,
  CARRIER_IP,
  did,
  finalResponse,
  lastCall,
  requestTime,
  type HistoryRow,
} from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';

const MENU_HZ = 1000;
const DEFAULT_HZ = 880;
const WRONG_HZ = 600;
const TIME_ZONE = 'Asia/Tokyo';
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `HH:MM` in Tokyo, `minutes` from now. */
function tokyoTime(minutes: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.now() + minutes * 60_000));
}

/** The date in Tokyo `days` from today, `YYYY-MM-DD`. */
const tokyoDate = (days = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(
    new Date(Date.now() + days * 86_400_000),
  );

async function createIvr(server: TelephonyServer, body: Record<string, unknown>): Promise<number> {
  const res = await server.request('POST', '/api/v1/ivrs', { token: server.adminToken, body });
  if (res.statusCode !== 201) throw new Error(`ivr: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

t.test('IVRs on a DID', async (t) => {
  const server = await startTelephonyServer({ env: { IVR_MAX_HOPS: '4', TIMEZONE: TIME_ZONE } });
  t.teardown(server.stop);
  const trunk = await carrier(server, 'carrier1', { dtmfMode: 'info' });
  const op = await agentWithPhone(server, 'op1', '201');
  const status = await server.request('PUT', `/api/v1/agents/${op.agentId ?? 0}/status`, {
    token: server.adminToken,
    body: { status: 'available' },
  });
  t.equal(status.statusCode, 200, status.body);
  const group = await server.request('POST', '/api/v1/groups', {
    token: server.adminToken,
    body: { name: '受付', members: [{ agentId: op.agentId, skillLevel: 1 }] },
  });
  t.equal(group.statusCode, 201, group.body);
  const groupId = (group.json() as { id: number }).id;
  const menu = await uploadAudio(server, 'メニュー', toneWav(8000, 1, 3, MENU_HZ));
  const fallback = await uploadAudio(server, '標準', toneWav(8000, 1, 1.5, DEFAULT_HZ));
  const wrong = await uploadAudio(server, '違う', toneWav(8000, 1, 1.5, WRONG_HZ));
  // A 0 Hz tone: two seconds of digital silence.
  const silence = await uploadAudio(server, '無音', toneWav(8000, 1, 2, 0));
  const toFallback = { type: 'audio', audioFileId: fallback.id };
  let numbers = 0;
  let calls = 0;
  /** A fresh DID routed to the IVR. */
  const numberFor = async (ivrId: number) => {
    numbers += 1;
    const number = `05010000${String(numbers).padStart(2, '0')}`;
    await did(server, number, { route: { type: 'ivr', ivrId } });
    return number;
  };
  /** The history row of the call just made. */
  const written = async (): Promise<HistoryRow> => {
    calls += 1;
    return lastCall(server, calls - 1);
  };

  await t.test(
    'the rule that covers now sends the call to the group; the other is skipped',
    async (t) => {
      const ivr = await createIvr(server, {
        name: '営業時間',
        defaultRoute: toFallback,
        schedule: {
          enabled: true,
          rules: [
            // Not now: later today (or tomorrow night, across midnight).
            {
              from: tokyoTime(120),
              to: tokyoTime(180),
              weekdays: ALL_DAYS,
              destination: { type: 'audio', audioFileId: wrong.id },
            },
            {
              from: tokyoTime(-60),
              to: tokyoTime(60),
              weekdays: ALL_DAYS,
              destination: { type: 'group', groupId },
            },
          ],
        },
      });
      const number = await numberFor(ivr);
      const agent = await answer(op);
      const ear = await rtpListener(0, CARRIER_IP);
      t.teardown(ear.close);
      const run = await (
        await trunk.call(number, '09011110001', 'caller.xml', {
          vars: { rtp_port: ear.port, hold: 6000 },
        })
      ).done;
      t.equal(run.code, 0);
      t.equal((await agent.done).code, 0, 'the agent’s phone rang and answered');
      t.ok(ear.level(WRONG_HZ) < 300, 'the skipped rule’s file was not played');
      const row = await written();
      t.equal(row.agentId, op.agentId, 'the agent took it');
      t.same(row.ivrPath, [{ ivrId: ivr, name: '営業時間', via: 'rule', rule: 2 }]);

      await t.test(
        'on a specified date, a rule without ★ does not match: the default plays',
        async (t) => {
          const patched = await server.request('PATCH', `/api/v1/ivrs/${ivr}`, {
            token: server.adminToken,
            // Yesterday too: within an hour after midnight the rule now ±1 h began yesterday,
            // and the early hours of a range across midnight are the day before's.
            body: { schedule: { specifiedDates: [tokyoDate(-1), tokyoDate()] } },
          });
          t.equal(patched.statusCode, 200, patched.body);
          const ear = await rtpListener(0, CARRIER_IP);
          t.teardown(ear.close);
          const started = Date.now();
          const run = await (
            await trunk.call(number, '09011110002', 'caller.xml', {
              vars: { rtp_port: ear.port, hold: 15_000 },
            })
          ).done;
          t.equal(run.code, 0);
          t.ok(Date.now() - started < 10_000, 'ended after the default file');
          t.ok(
            ear.level(DEFAULT_HZ) > 1000,
            `the default routing's file (${ear.level(DEFAULT_HZ).toFixed(0)})`,
          );
          const row = await written();
          t.same(row.ivrPath, [
            { ivrId: ivr, name: '営業時間', via: 'default', reason: 'no_rule' },
          ]);
          t.equal(row.agentId, null, 'no agent rang');
        },
      );
    },
  );

  const menuIvr = await createIvr(server, {
    name: 'メニュー',
    defaultRoute: toFallback,
    buttons: {
      enabled: true,
      menuAudioFileId: menu.id,
      keys: { '2': { type: 'group', groupId }, '3': { type: 'audio', audioFileId: silence.id } },
      noInputSeconds: 2,
      attempts: 2,
    },
  });
  const menuNumber = await numberFor(menuIvr);

  await t.test('key 2 reaches the group and the agent answers', async (t) => {
    const agent = await answer(op);
    const run = await (
      await trunk.call(menuNumber, '09011110003', 'caller.xml', {
        vars: { hold: 8000, dtmf: '2', dtmf_mode: 'info', dtmf_delay: 1500 },
      })
    ).done;
    t.equal(run.code, 0);
    t.equal((await agent.done).code, 0, 'the agent answered');
    const row = await written();
    t.equal(row.agentId, op.agentId);
    t.same(row.ivrPath, [{ ivrId: menuIvr, name: 'メニュー', via: 'key', key: '2' }]);
  });

  await t.test('a key pressed during the menu stops it at once (barge-in)', async (t) => {
    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    const run = await trunk.call(menuNumber, '09011110004', 'caller.xml', {
      vars: { rtp_port: ear.port, hold: 8000, dtmf: '3', dtmf_mode: 'info', dtmf_delay: 1800 },
    });
    const result = await run.done;
    t.equal(result.code, 0);
    const pressed = requestTime(result.messages, 'INFO');
    if (pressed === undefined) throw new Error('no INFO in the trace');
    const sound = ear.soundTimes();
    t.ok(
      sound.some((at) => at > pressed - 150 && at <= pressed),
      'the menu was playing when the key was pressed',
    );
    const last = sound.filter((at) => at < pressed + 2000).at(-1) ?? 0;
    t.ok(last - pressed < 200, `the menu's RTP stopped ${last - pressed} ms after the key`);
    t.same((await written()).ivrPath, [{ ivrId: menuIvr, name: 'メニュー', via: 'key', key: '3' }]);
  });

  await t.test('an invalid key replays the menu; the last one falls to the default', async (t) => {
    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    // 7 during the first menu, 8 during the replay: both invalid.
    const run = await (
      await trunk.call(menuNumber, '09011110005', 'caller.xml', {
        vars: {
          rtp_port: ear.port,
          hold: 20_000,
          dtmf: '78',
          dtmf_mode: 'info',
          dtmf_delay: 1500,
          dtmf_gap: 3500,
        },
      })
    ).done;
    t.equal(run.code, 0);
    t.ok(ear.level(DEFAULT_HZ) > 1000, 'the default routing’s file played');
    const row = await written();
    t.same(row.ivrPath, [{ ivrId: menuIvr, name: 'メニュー', via: 'default', reason: 'invalid' }]);
  });

  await t.test('no key at all: the menu twice, then the default', async (t) => {
    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    const started = Date.now();
    const run = await (
      await trunk.call(menuNumber, '09011110006', 'caller.xml', {
        vars: { rtp_port: ear.port, hold: 30_000 },
      })
    ).done;
    t.equal(run.code, 0);
    const took = Date.now() - started;
    // Menu 3 s + 2 s wait, the no-input prompt, menu 3 s + 2 s wait, the default 1.5 s.
    t.ok(took > 11_000 && took < 25_000, `the caller waited out both menus (${took} ms)`);
    t.ok(ear.level(DEFAULT_HZ) > 1000, 'then the default routing’s file');
    const row = await written();
    t.same(row.ivrPath, [{ ivrId: menuIvr, name: 'メニュー', via: 'default', reason: 'no_input' }]);
  });

  await t.test('a loop that got past the saves is stopped by IVR_MAX_HOPS', async (t) => {
    const a = await createIvr(server, { name: 'ループA', defaultRoute: toFallback });
    const b = await createIvr(server, { name: 'ループB', defaultRoute: { type: 'ivr', ivrId: a } });
    // What no save allows (A → B → A), written behind the API's back.
    server.database.sqlite
      .prepare("UPDATE ivrs SET default_route_type = 'ivr', default_route_target = ? WHERE id = ?")
      .run(String(b), a);
    const number = await numberFor(a);
    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    const started = Date.now();
    const run = await (
      await trunk.call(number, '09011110007', 'caller-refused.xml', {
        vars: { rtp_port: ear.port },
      })
    ).done;
    t.equal(finalResponse(run.messages), 503, 'refused: nowhere to send the call');
    t.ok(Date.now() - started < 5000, 'the call was ended at once');
    const row = await written();
    t.equal(row.ivrPath.length, 4, 'after four IVRs');
    t.same(
      row.ivrPath.map((s) => s.name),
      ['ループA', 'ループB', 'ループA', 'ループB'],
    );
    t.equal(row.endReason, 'failed');
  });
});
