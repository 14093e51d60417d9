/**
 * Pushing SIP endpoints into Asterisk (fake ARI with Asterisk 22's update semantics): a re-push
 * leaves equal objects alone and replaces changed ones (never an update in place, which
 * corrupts them); Asterisk refusing restores what was there and answers 422; Asterisk away or
 * slow leaves the change pending until a resync.
 */
import t from 'tap';
import { loadConfig } from '../../src/config.js';
import {
  createProvisioner,
  type EndpointObjects,
} from '../../src/platform/asterisk/provisioning.js';
import { HttpError } from '../../src/platform/http/errors.js';
import { createLogger } from '../../src/platform/logger.js';
import { terminalObjects } from '../../src/terminals/pjsip.js';
import { trunkObjects, type TrunkSettings } from '../../src/trunks/pjsip.js';
import { fakeAriConfig } from '../support/fake-ari-config.js';
import { fakeClock } from '../support/fake-clock.js';

const sip = loadConfig({}).sip;
const carrier: TrunkSettings = {
  name: 'carrier',
  host: '127.0.0.2',
  port: 5070,
  username: null,
  register: false,
  fromUser: null,
  fromDomain: null,
  matchAddresses: ['127.0.0.2'],
  codecs: ['ulaw', 'alaw'],
  dtmfMode: 'rfc4733',
};
const trunk = (over: Partial<TrunkSettings> = {}): EndpointObjects =>
  trunkObjects({ ...carrier, ...over }, null, sip);

function setup() {
  const ari = fakeAriConfig();
  const clock = fakeClock();
  const wanted: EndpointObjects[] = [];
  const provisioner = createProvisioner(ari.port, clock, createLogger('silent'));
  provisioner.addSource({ name: 'test', desired: () => wanted });
  return { ari, clock, wanted, provisioner };
}

t.test(
  'a re-push (a takeover) leaves Asterisk’s objects exactly as a fresh start made them',
  async (t) => {
    const { ari, wanted, provisioner } = setup();
    wanted.push(trunk());
    await provisioner.resync();
    const fresh = new Map(ari.objects);
    t.equal(fresh.get('endpoint/trunk_carrier')?.callerid, '<unknown>');
    t.equal(fresh.get('identify/trunk_carrier')?.match, '127.0.0.2/255.255.255.255');
    ari.writes.length = 0;

    await provisioner.resync();
    await provisioner.resync();
    t.same(ari.writes, [], 'nothing written: every object already is what we want');
    t.same(new Map(ari.objects), fresh, 'no caller ID "unknown", no match listed twice');
  },
);

t.test('a phone whose REFERs are handed to the server is left alone by a re-push', async (t) => {
  const { ari, wanted, provisioner } = setup();
  const phone = (referToServer: boolean) =>
    terminalObjects(
      {
        sipUser: 'desk201',
        codecs: ['ulaw'],
        dtmfMode: 'rfc4733',
        behindNat: false,
        maxContacts: 1,
        webrtc: false,
      },
      'secret',
      { callerIdName: 'op1', callerIdNumber: '201' },
      sip,
      referToServer,
    );
  wanted.push(phone(true));
  await provisioner.resync();
  t.equal(ari.objects.get('endpoint/desk201')?.['PJSIP_TRANSFER_HANDLING()'], 'ari-only');
  ari.writes.length = 0;
  await provisioner.resync();
  t.same(ari.writes, [], 'the set_var is recognised in its printed form');
  // The Asterisk behind the link changed (an older one): REFER is to be refused now.
  wanted[0] = phone(false);
  await provisioner.resync();
  t.same(ari.writes, ['DELETE endpoint/desk201', 'PUT endpoint/desk201']);
  t.equal(ari.objects.get('endpoint/desk201')?.allow_transfer, 'false');
});

t.test('a phone that becomes a browser phone, and back, is re-created each time', async (t) => {
  const { ari, wanted, provisioner } = setup();
  const phone = (webrtc: boolean) =>
    terminalObjects(
      {
        sipUser: 'web201',
        codecs: ['ulaw'],
        dtmfMode: 'rfc4733',
        behindNat: true,
        maxContacts: 1,
        webrtc,
      },
      'secret',
      { callerIdName: 'op1', callerIdNumber: '201' },
      sip,
      true,
    );
  wanted.push(phone(false));
  await provisioner.resync();
  t.equal(ari.objects.get('endpoint/web201')?.webrtc, 'false', 'the flag is written when off');
  ari.writes.length = 0;
  wanted[0] = phone(true);
  await provisioner.resync();
  t.same(ari.writes, ['DELETE endpoint/web201', 'PUT endpoint/web201'], 'not an update in place');
  t.match(ari.objects.get('endpoint/web201'), { webrtc: 'true', dtls_auto_generate_cert: 'true' });
  ari.writes.length = 0;
  await provisioner.resync();
  t.same(ari.writes, [], 'left alone while it stays one');
  // Off again: re-created, so the settings webrtc=yes implied (ICE, DTLS, AVPF) go with it.
  wanted[0] = phone(false);
  await provisioner.resync();
  t.same(ari.writes, ['DELETE endpoint/web201', 'PUT endpoint/web201']);
  t.notOk('dtls_auto_generate_cert' in (ari.objects.get('endpoint/web201') ?? {}));
});

t.test('a browser phone with a configured DTLS certificate', async (t) => {
  const objects = terminalObjects(
    {
      sipUser: 'web202',
      codecs: ['opus', 'ulaw'],
      dtmfMode: 'info',
      behindNat: true,
      maxContacts: 1,
      webrtc: true,
    },
    'secret',
    { callerIdName: 'op2', callerIdNumber: '202' },
    sip,
    true,
    { certFile: '/etc/asterisk/keys/dtls.crt', keyFile: '/etc/asterisk/keys/dtls.key' },
  );
  t.match(objects.objects.endpoint, {
    webrtc: 'yes',
    dtls_cert_file: '/etc/asterisk/keys/dtls.crt',
    dtls_private_key: '/etc/asterisk/keys/dtls.key',
    allow: 'opus,ulaw',
  });
  t.notOk('dtls_auto_generate_cert' in (objects.objects.endpoint ?? {}));
});

t.test('objects an update in place corrupted are replaced, not updated again', async (t) => {
  const { ari, wanted, provisioner } = setup();
  wanted.push(trunk());
  await provisioner.resync();
  // What an earlier release's PUT over the surviving objects left behind.
  await ari.port.asterisk.putObject('res_pjsip', 'endpoint', 'trunk_carrier', {
    context: 'from-trunk',
    callerid: '',
  });
  await ari.port.asterisk.putObject('res_pjsip', 'identify', 'trunk_carrier', {
    match: '127.0.0.2',
  });
  t.equal(ari.objects.get('endpoint/trunk_carrier')?.callerid, 'unknown');
  ari.writes.length = 0;

  await provisioner.resync();
  t.same(ari.writes, [
    'DELETE endpoint/trunk_carrier',
    'PUT endpoint/trunk_carrier',
    'DELETE identify/trunk_carrier',
    'PUT identify/trunk_carrier',
  ]);
  t.equal(ari.objects.get('endpoint/trunk_carrier')?.callerid, '<unknown>');
  t.equal(ari.objects.get('identify/trunk_carrier')?.match, '127.0.0.2/255.255.255.255');
});

t.test(
  'Asterisk refusing an object: nothing is left of the change, and 422 says why',
  async (t) => {
    const { ari, provisioner } = setup();
    // A new trunk: refused at its identify, after the endpoint went in. The endpoint goes again.
    const refused = await provisioner
      .apply(trunk({ matchAddresses: ['nonexistent.invalid'] }))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    t.ok(refused instanceof HttpError, 'refused');
    t.match(refused, {
      statusCode: 422,
      code: 'asterisk_refused',
      details: { object: 'identify', reason: /failed field value validation/ },
    });
    t.same([...ari.objects.keys()], [], 'no object of it is left');

    // A change to an existing trunk: refused, and the trunk as it was is put back.
    await provisioner.apply(trunk());
    const before = new Map(ari.objects);
    await t.rejects(
      provisioner.apply(trunk({ host: '127.0.0.3', matchAddresses: ['1.2.3.999'] }), trunk()),
      /Asterisk refused the identify/,
    );
    t.same(new Map(ari.objects), before, 'Asterisk holds the trunk as it was');
    t.same(provisioner.state('trunk_carrier'), { state: 'synced' });
  },
);

t.test(
  'Asterisk away or slow: pending, then pushed (on reconnect, or after a retry)',
  async (t) => {
    const { ari, clock, wanted, provisioner } = setup();
    ari.setState('disconnected');
    wanted.push(trunk());
    t.match(await provisioner.apply(trunk()), { state: 'pending' });
    t.match(provisioner.state('trunk_carrier'), { state: 'pending', since: clock.now() });
    t.equal(ari.objects.size, 0);
    ari.setState('connected');
    await new Promise((resolve) => setImmediate(resolve));
    await provisioner.resync();
    t.same(provisioner.state('trunk_carrier'), { state: 'synced' }, 'pushed once Asterisk is back');
    t.ok(ari.objects.has('endpoint/trunk_carrier'));

    // Connected, but Asterisk does not answer in time: pending, and tried again 5 s later.
    wanted.splice(0, 1, trunk({ port: 5080 }));
    ari.failWith('timeout');
    t.match(await provisioner.apply(trunk({ port: 5080 })), { state: 'pending' });
    ari.failWith(undefined);
    clock.advance(5000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    t.same(provisioner.state('trunk_carrier'), { state: 'synced' });
    t.match(ari.objects.get('aor/trunk_carrier'), { contact: 'sip:127.0.0.2:5080' });
  },
);

t.test(
  'a stored endpoint Asterisk refuses on resync is marked failed; the rest go on',
  async (t) => {
    const { ari, wanted, provisioner } = setup();
    wanted.push(trunk({ name: 'broken', matchAddresses: ['nonexistent.invalid'] }), trunk());
    const result = await provisioner.resync();
    t.match(result, { pushed: 2, failed: 1 });
    t.match(provisioner.state('trunk_broken'), { state: 'failed', error: /identify/ });
    t.same(provisioner.state('trunk_carrier'), { state: 'synced' });
    t.ok(ari.objects.has('identify/trunk_carrier'));
  },
);
