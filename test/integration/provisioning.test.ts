/**
 * SIP endpoints in Asterisk, as SQLite says they are.
 * - The server is killed and started again while Asterisk keeps running (a takeover): the
 *   re-provisioning leaves Asterisk's objects exactly as the fresh start made them, and a carrier
 *   call keeps its caller's number (an update in place used to turn it into `unknown`).
 * - What Asterisk refuses is not stored (422), and a change is undone in Asterisk too.
 * - With Asterisk unable to answer, a new trunk is stored as pending, and pushed once it can.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { agentWithPhone, carrier, did, lastCall, until } from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';
import { startTelephonyServer } from '../support/telephony.js';

/** Asterisk's own copy of an object, every field as ARI prints it (null: there is none). */
async function objectOf(
  ari: { url: string; user: string; password: string },
  type: string,
  id: string,
): Promise<Record<string, string> | null> {
  const res = await fetch(`${ari.url}/ari/asterisk/config/dynamic/res_pjsip/${type}/${id}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${ari.user}:${ari.password}`).toString('base64')}`,
    },
  });
  if (res.status === 404) return null;
  const fields = (await res.json()) as { attribute: string; value: string }[];
  // Every attribute; a list field (match, contact) as all of its entries, in order.
  const object: Record<string, string> = {};
  for (const { attribute, value } of fields) {
    object[attribute] = attribute in object ? `${object[attribute] ?? ''},${value}` : value;
  }
  return object;
}

t.test(
  'a takeover of a running Asterisk re-provisions exactly what a fresh start did',
  async (t) => {
    const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));
    const credentials = JSON.parse(
      readFileSync(join(environment.runtimeDir, 'credentials.json'), 'utf8'),
    ) as { ariUser: string; ariPassword: string };
    const ari = {
      url: `http://127.0.0.1:${environment.env.ASTERISK_ARI_PORT ?? ''}`,
      user: credentials.ariUser,
      password: credentials.ariPassword,
    };
    const trunk = await carrier(server);
    await agentWithPhone(server, 'op1', '201');
    await did(server, '0312340000');
    const dump = async () => {
      const objects: Record<string, Record<string, string> | null> = {};
      for (const [type, id] of [
        ['endpoint', 'trunk_carrier1'],
        ['aor', 'trunk_carrier1'],
        ['identify', 'trunk_carrier1'],
        ['endpoint', 'desk201'],
        ['aor', 'desk201'],
        ['auth', 'desk201'],
      ] as const) {
        objects[`${type}/${id}`] = await objectOf(ari, type, id);
      }
      return objects;
    };
    const fresh = await dump();
    t.ok(fresh['endpoint/trunk_carrier1'] !== null && fresh['identify/trunk_carrier1'] !== null);
    t.equal(fresh['endpoint/trunk_carrier1']?.callerid, '<unknown>', 'the trunk sets no caller ID');
    t.equal(fresh['identify/trunk_carrier1']?.match, '127.0.0.2/255.255.255.255');

    first.child.kill('SIGKILL');
    await first.exited;
    const second = startServerProcess(environment.env);
    t.teardown(() => second.child.kill('SIGKILL'));
    const again = await readyServer(environment, 'the restarted server');
    // The restarted server has pushed its endpoints once it is ready; compare what Asterisk holds.
    t.same(await dump(), fresh, 'endpoint, aor, auth and identify as the fresh start made them');
    t.notMatch(
      JSON.stringify(await dump()),
      /"unknown"/,
      'the trunk’s caller ID did not become the number unknown',
    );

    const call = await (await trunk.call('0312340000', '09055554444', 'caller-refused.xml')).done;
    t.equal(call.code, 0, 'the carrier’s call was answered with a refusal (no route)');
    t.match(await lastCall(again), { direction: 'inbound', fromNumber: '09055554444' });
    second.child.kill('SIGTERM');
    t.equal(await second.exited, 0);
  },
);

t.test(
  'what Asterisk refuses is not stored; Asterisk away: stored, pending, pushed later',
  async (t) => {
    const server = await startTelephonyServer();
    t.teardown(server.stop);
    const ari = server.asterisk.ari;
    const post = (body: object) =>
      server.request('POST', '/api/v1/trunks', { token: server.adminToken, body });
    const trunks = async () =>
      (
        (await server.request('GET', '/api/v1/trunks', { token: server.adminToken })).json() as {
          items: {
            id: number;
            name: string;
            matchAddresses: string[];
            provisioning: { state: string };
          }[];
        }
      ).items;

    const edge = await post({ name: 'badip1', host: 'example.com', matchAddresses: ['1.2.3.999'] });
    t.equal(edge.statusCode, 400, 'an address that is no address is refused at the edge');

    // A host name Asterisk cannot resolve passes our checks; Asterisk refuses it.
    const refused = await post({
      name: 'ghost',
      host: '127.0.0.9',
      matchAddresses: ['nonexistent.invalid'],
    });
    t.equal(refused.statusCode, 422, refused.body);
    t.match(refused.json(), {
      error: { code: 'asterisk_refused', details: { object: 'identify', reason: /validation/ } },
    });
    t.notOk(
      (await trunks()).some((r) => r.name === 'ghost'),
      'the trunk is not stored',
    );
    t.equal(
      await ari.asterisk.getObject('res_pjsip', 'endpoint', 'trunk_ghost'),
      undefined,
      'nor left in Asterisk',
    );

    const good = await post({ name: 'carrier2', host: '127.0.0.2', port: 5099 });
    t.equal(good.statusCode, 201);
    t.match(good.json(), { provisioning: { state: 'synced' } });
    const id = (good.json() as { id: number }).id;
    const patched = await server.request('PATCH', `/api/v1/trunks/${id}`, {
      token: server.adminToken,
      body: { port: 5100, matchAddresses: ['nonexistent.invalid'] },
    });
    t.equal(patched.statusCode, 422);
    t.match(
      await trunks(),
      [{ name: 'carrier2', matchAddresses: ['127.0.0.2'] }],
      'unchanged here',
    );
    t.match(
      await ari.asterisk.getObject('res_pjsip', 'aor', 'trunk_carrier2'),
      { contact: 'sip:127.0.0.2:5099' },
      'and in Asterisk: the port is still 5099',
    );
    t.match(await ari.asterisk.getObject('res_pjsip', 'identify', 'trunk_carrier2'), {
      match: '127.0.0.2/255.255.255.255',
    });

    // Asterisk stops answering (frozen): the new trunk is stored and pending.
    const pid = server.asterisk.managed?.pid();
    if (pid === undefined) throw new Error('no managed Asterisk');
    process.kill(pid, 'SIGSTOP');
    let resumed = false;
    t.teardown(() => {
      if (!resumed) process.kill(pid, 'SIGCONT');
    });
    const later = await post({ name: 'carrier3', host: '127.0.0.3' });
    t.equal(later.statusCode, 201, 'stored although Asterisk did not answer');
    t.match(later.json(), { provisioning: { state: 'pending' } });
    process.kill(pid, 'SIGCONT');
    resumed = true;
    await until(
      async () =>
        (await trunks()).find((r) => r.name === 'carrier3')?.provisioning.state === 'synced',
      60_000,
      'carrier3 to be pushed',
    );
    t.match(await ari.asterisk.getObject('res_pjsip', 'endpoint', 'trunk_carrier3'), {
      context: 'from-trunk',
    });
  },
);
