/**
 * What a browser may send over its SIP WebSocket: only what speaks for its own WebRTC terminal.
 */
import t from 'tap';
import { checkBrowserSip } from '../../src/browser-phone/sip-guard.js';

const request = (startLine: string, headers: string[]) =>
  [startLine, ...headers, 'Content-Length: 0', '', ''].join('\r\n');

t.test('its own REGISTER, first and with credentials, passes', async (t) => {
  const register = request('REGISTER sip:callcenter.invalid SIP/2.0', [
    'Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1',
    'From: <sip:web201@callcenter.invalid>;tag=a1',
    'To: <sip:web201@callcenter.invalid>',
    'Call-ID: x',
    'CSeq: 2 REGISTER',
  ]);
  t.same(checkBrowserSip(register, 'web201'), { ok: true });
  const withAuth = register.replace(
    'CSeq: 2 REGISTER',
    'CSeq: 3 REGISTER\r\nAuthorization: Digest algorithm=MD5, username="web201", realm="asterisk", nonce="n", uri="sip:callcenter.invalid", response="r"',
  );
  t.same(checkBrowserSip(withAuth, 'web201'), { ok: true });
});

t.test('another terminal’s identity or credentials are refused', async (t) => {
  const as = (from: string, to: string, extra: string[] = []) =>
    checkBrowserSip(
      request('REGISTER sip:callcenter.invalid SIP/2.0', [
        `From: ${from};tag=1`,
        `To: ${to}`,
        ...extra,
      ]),
      'web201',
    );
  t.match(as('<sip:desk202@x>', '<sip:desk202@x>'), { ok: false, reason: /From another user/ });
  t.match(as('<sip:web201@x>', '<sip:desk202@x>'), { ok: false, reason: /To another user/ });
  t.match(
    as('<sip:web201@x>', '<sip:web201@x>', [
      'Authorization: Digest username="desk202", realm="asterisk"',
    ]),
    {
      ok: false,
      reason: /credentials of another user/,
    },
  );
  t.match(
    checkBrowserSip(
      request('INVITE sip:202@callcenter.invalid SIP/2.0', [
        'f: "x" <sip:desk202@callcenter.invalid>;tag=9',
        't: <sip:202@callcenter.invalid>',
      ]),
      'web201',
    ),
    { ok: false, reason: /From another user/ },
    'compact header forms are read too',
  );
  t.match(checkBrowserSip('hello', 'web201'), { ok: false, reason: 'not a SIP message' });
});

t.test('a new call from it passes; requests inside a dialog and responses pass', async (t) => {
  t.same(
    checkBrowserSip(
      request('INVITE sip:202@callcenter.invalid SIP/2.0', [
        'From: "web201" <sip:web201@callcenter.invalid>;tag=9',
        'To: <sip:202@callcenter.invalid>',
        'Proxy-Authorization: Digest username="web201", realm="asterisk"',
      ]),
      'web201',
    ),
    { ok: true },
  );
  // A call Asterisk made to the browser's contact: its BYE is From that contact's user.
  t.same(
    checkBrowserSip(
      request('BYE sip:asterisk@127.0.0.1:5060 SIP/2.0', [
        'From: <sip:k3s9d0@q1w2e3.invalid;transport=ws>;tag=b7',
        'To: <sip:202@127.0.0.1>;tag=as1',
      ]),
      'web201',
    ),
    { ok: true },
  );
  t.same(
    checkBrowserSip(
      [
        'SIP/2.0 200 OK',
        'From: <sip:asterisk@127.0.0.1>;tag=1',
        'To: <sip:k3@q.invalid>;tag=2',
        '',
        '',
      ].join('\r\n'),
      'web201',
    ),
    { ok: true },
  );
});
