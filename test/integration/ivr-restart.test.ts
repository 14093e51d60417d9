/**
 * A caller in an IVR's menu survives a crash of the server: kill -9 it while the caller hears
 * the menu (Asterisk keeps running), restart it, and the caller is in that IVR again — the menu
 * plays from its start, and the key they press then takes them to the group, whose agent
 * answers; the call's history row keeps the way it took.
 */
import t from 'tap';
import { toneWav, uploadAudio } from '../support/audio.js';
import {
  agentWithPhone,
  answer,
  carrier,
  CARRIER_IP,
  did,
  until,
  type HistoryRow,
} from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';
import { rtpListener } from '../support/rtp.js';

t.test(
  'kill -9 the server while a caller hears an IVR menu: the menu takes them back',
  async (t) => {
    const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));
    const op1 = await agentWithPhone(server, 'op1', '201');
    const agentId = op1.agentId ?? 0;
    const trunk = await carrier(server, 'carrier1', { dtmfMode: 'info' });
    const group = await server.request('POST', '/api/v1/groups', {
      token: server.adminToken,
      body: { name: 'Support', members: [{ agentId, skillLevel: 1 }] },
    });
    const groupId = (group.json() as { id: number }).id;
    await server.request('PUT', `/api/v1/agents/${agentId}/status`, {
      token: server.adminToken,
      body: { status: 'available' },
    });
    const menu = await uploadAudio(
      { baseUrl: environment.url, adminToken: server.adminToken },
      'menu',
      toneWav(8000, 1, 4, 1000),
    );
    const ivr = await server.request('POST', '/api/v1/ivrs', {
      token: server.adminToken,
      body: {
        name: '受付',
        buttons: {
          enabled: true,
          menuAudioFileId: menu.id,
          keys: { '2': { type: 'group', groupId } },
          noInputSeconds: 10,
          attempts: 3,
        },
      },
    });
    t.equal(ivr.statusCode, 201, ivr.body);
    const ivrId = (ivr.json() as { id: number }).id;
    await did(server, '0500002222', { route: { type: 'ivr', ivrId } });

    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    // The key comes 20 s after the answer: well after the restart.
    const caller = await trunk.call('0500002222', '0901230003', 'caller.xml', {
      vars: { rtp_port: ear.port, hold: 40_000, dtmf: '2', dtmf_mode: 'info', dtmf_delay: 20_000 },
    });
    await until(() => ear.level(1000) > 1000, 10_000, 'the menu to play');

    first.child.kill('SIGKILL');
    await first.exited;
    const second = startServerProcess(environment.env);
    t.teardown(() => second.child.kill('SIGKILL'));
    const again = await readyServer(environment, 'the restarted server');
    const heardBefore = ear.packets();
    await until(() => ear.packets() > heardBefore + 50, 15_000, 'the menu to play again');

    const phone = await answer(op1);
    const answered = await phone.done;
    t.equal(answered.code, 0, 'the agent’s phone rang and answered after key 2');
    t.match(answered.messages, /^From: .*0901230003/m, 'with the caller’s number');
    t.equal((await caller.done).code, 0);

    let row: HistoryRow | undefined;
    await until(
      async () => {
        const res = await again.request('GET', '/api/v1/call-history?limit=1', {
          token: again.adminToken,
        });
        row = (res.json() as { items: HistoryRow[] }).items[0];
        return row?.endedAt !== null && row !== undefined;
      },
      15_000,
      'the call to be written down',
    );
    t.same(row?.ivrPath, [{ ivrId, name: '受付', via: 'key', key: '2' }]);
    t.equal(row?.agentId, agentId, 'the agent took it');

    second.child.kill('SIGTERM');
    t.equal(await second.exited, 0);
  },
);
