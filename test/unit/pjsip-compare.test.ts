/**
 * Asterisk's copy of an object against ours, as ARI prints it back (Asterisk 22.10): the forms
 * below were read off GET /asterisk/config/dynamic after a PUT of the value on the right.
 */
import t from 'tap';
import { printedForm, sameObject } from '../../src/platform/asterisk/pjsip-compare.js';

t.test('each field as GET prints what was PUT', async (t) => {
  const cases: [field: string, got: string, put: string][] = [
    ['direct_media', 'false', 'no'],
    ['rewrite_contact', 'true', 'yes'],
    ['remove_existing', 'true', 'on'],
    ['line', 'true', 'yes'],
    ['allow', '(ulaw|alaw)', 'ulaw,alaw'],
    ['allow', '(ulaw)', '!all,ulaw'],
    ['match', '127.0.0.2/255.255.255.255', '127.0.0.2'],
    ['match', '10.0.0.0/255.0.0.0', '10.0.0.0/8'],
    ['match', '127.0.0.2/255.255.255.255,10.0.0.0/255.0.0.0', '127.0.0.2,10.0.0.0/8'],
    ['callerid', '<unknown>', ''],
    ['callerid', '<unknown>', '"" <>'],
    ['callerid', 'Name', '"Name" <>'],
    ['callerid', '"山田 太郎" <201>', '"山田 太郎" <201>'],
    ['qualify_timeout', '2.000000', '2'],
    ['qualify_frequency', '30', '30'],
    ['rtp_timeout', '60', '60'],
    ['from_user', '', ''],
  ];
  for (const [field, got, put] of cases) {
    t.equal(printedForm(field, got), printedForm(field, put), `${field}: ${put} ↔ ${got}`);
  }
});

t.test('an object is the same only when every field we set is', async (t) => {
  const trunk = {
    aors: 'trunk_carrier',
    allow: 'ulaw,alaw',
    disallow: 'all',
    direct_media: 'no',
    callerid: '',
    from_user: '',
  };
  const fresh = {
    aors: 'trunk_carrier',
    allow: '(ulaw|alaw)',
    direct_media: 'false',
    callerid: '<unknown>',
    from_user: '',
    stir_shaken: 'false',
  };
  t.ok(
    sameObject(fresh, trunk),
    'as created: disallow is never printed, extra fields are not ours',
  );
  t.notOk(
    sameObject({ ...fresh, callerid: 'unknown' }, trunk),
    'the caller ID an update in place leaves behind is not the one we want',
  );
  t.notOk(sameObject({ ...fresh, allow: '(alaw|ulaw)' }, trunk), 'codec order matters');
  t.notOk(sameObject({ ...fresh, direct_media: 'true' }, trunk), 'a changed flag');
  const identify = { endpoint: 'trunk_carrier', match: '127.0.0.2' };
  t.ok(sameObject({ endpoint: 'trunk_carrier', match: '127.0.0.2/255.255.255.255' }, identify));
  t.notOk(
    sameObject(
      { endpoint: 'trunk_carrier', match: '127.0.0.2/255.255.255.255,127.0.0.2/255.255.255.255' },
      identify,
    ),
    'a match address listed twice',
  );
  const aor = {
    max_contacts: '1',
    remove_existing: 'yes',
    qualify_frequency: '30',
    qualify_timeout: '3',
  };
  t.ok(
    sameObject(
      {
        max_contacts: '1',
        remove_existing: 'true',
        qualify_frequency: '30',
        qualify_timeout: '3.000000',
        contact: 'sip:x@127.0.0.1:5062',
      },
      aor,
    ),
    'registered contacts are not ours to compare',
  );
  t.notOk(sameObject({ max_contacts: '1' }, aor), 'a missing field');
  t.notOk(sameObject({ max_contacts: 'true' }, { max_contacts: '1' }), 'numbers are not flags');
  t.notOk(
    sameObject({ contact: 'sip:127.0.0.2:5070' }, { contact: 'sip:127.0.0.3:5070' }),
    'a trunk moved',
  );
});

t.test('a set_var is printed as an attribute named after its variable', async (t) => {
  const phone = { allow_transfer: 'yes', set_var: 'PJSIP_TRANSFER_HANDLING()=ari-only' };
  // As GET answered after that PUT (Asterisk 22.10): no `set_var`, the variable itself instead.
  const printed = { allow_transfer: 'true', 'PJSIP_TRANSFER_HANDLING()': 'ari-only' };
  t.ok(sameObject(printed, phone), 'left alone on a reconnect');
  t.notOk(sameObject({ allow_transfer: 'true' }, phone), 'the variable missing');
  t.notOk(
    sameObject({ ...printed, 'PJSIP_TRANSFER_HANDLING()': 'ari' }, phone),
    'another value of it',
  );
  t.notOk(sameObject(printed, { allow_transfer: 'no' }), 'REFER to be refused now');
  t.notOk(sameObject(printed, { set_var: 'nonsense' }), 'a set_var without a value');
});
