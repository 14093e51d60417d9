import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  TEMPLATES_DIR,
  renderConfiguration,
  renderTemplate,
  rtpIceLines,
  type TemplateValues,
} from '../../src/platform/asterisk/config-render.js';

const values: TemplateValues = {
  RUNTIME_DIR: '/var/tmp/cc/x',
  MODULES_DIR: '/usr/lib/x86_64-linux-gnu/asterisk/modules',
  DATA_DIR: '/usr/share/asterisk',
  HTTP_BIND: '127.0.0.1',
  HTTP_PORT: 18088,
  ARI_USER: 'callcenter',
  ARI_PASSWORD: 'ari-secret',
  AMI_BIND: '127.0.0.1',
  AMI_PORT: 15038,
  AMI_USER: 'callcenter',
  AMI_SECRET: 'ami-secret',
  SIP_BIND: '0.0.0.0',
  SIP_PORT: 15060,
  RTP_START: 30000,
  RTP_END: 30100,
  RTP_ICE: rtpIceLines({ iceSubnets: [], stunServer: undefined }),
  STASIS_APP: 'callcenter',
};

t.test('placeholders are replaced; an unknown one is an error', async (t) => {
  t.equal(renderTemplate('bind = {{SIP_BIND}}:{{SIP_PORT}}', values), 'bind = 0.0.0.0:15060');
  t.throws(
    () => renderTemplate('x = {{NOPE}}', values, 'x.conf'),
    /x.conf: unknown placeholder \{\{NOPE\}\}/,
  );
});

t.test(
  'every template of asterisk-config renders completely, readable by the owner only',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-render-'));
    const files = renderConfiguration(dir, values);
    t.same(
      files.sort(),
      readdirSync(TEMPLATES_DIR)
        .filter((f) => f.endsWith('.conf'))
        .sort(),
    );
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      t.notMatch(text, /\{\{/, `${file} has no placeholder left`);
      t.equal(statSync(join(dir, file)).mode & 0o777, 0o600, `${file} is private`);
    }
    const extensions = readFileSync(join(dir, 'extensions.conf'), 'utf8');
    t.match(
      extensions,
      /Stasis\(callcenter,internal,\$\{EXTEN\}\)/,
      'phones go to Stasis as internal',
    );
    t.match(
      extensions,
      /Stasis\(callcenter,inbound,\$\{EXTEN\}\)/,
      'trunks go to Stasis as inbound',
    );
    t.match(readFileSync(join(dir, 'ari.conf'), 'utf8'), /password = ari-secret/);
    t.match(
      readFileSync(join(dir, 'http.conf'), 'utf8'),
      /bindaddr = 127\.0\.0\.1\s+bindport = 18088/,
    );
    t.match(
      readFileSync(join(dir, 'asterisk.conf'), 'utf8'),
      /astspooldir => \/var\/tmp\/cc\/x\/spool/,
    );
    const rtp = readFileSync(join(dir, 'rtp.conf'), 'utf8');
    t.match(rtp, /rtpstart = 30000\s+rtpend = 30100/);
    t.match(rtp, /^icesupport = yes$/m, 'ICE for the browser phone');
    t.notMatch(rtp, /ice_deny|stunaddr/, 'every interface offered, no STUN, by default');
    const pjsip = readFileSync(join(dir, 'pjsip.conf'), 'utf8');
    t.match(
      pjsip,
      /\[transport-ws\]\s+type = transport\s+protocol = ws/,
      'the WebSocket transport',
    );
    const modules = readFileSync(join(dir, 'modules.conf'), 'utf8');
    for (const module of ['res_pjsip_transport_websocket', 'res_srtp', 'codec_opus_open_source'])
      t.match(modules, new RegExp(`^load = ${module}\\.so`, 'm'), `${module} is loaded`);
  },
);

t.test('ICE candidates limited to subnets, and a STUN server', async (t) => {
  t.equal(
    rtpIceLines({ iceSubnets: ['10.1.2.0/24', 'fd00::/64'], stunServer: 'stun.example.org:3478' }),
    [
      'ice_deny = 0.0.0.0/0',
      'ice_deny = ::/0',
      'ice_permit = 10.1.2.0/24',
      'ice_permit = fd00::/64',
      'stunaddr = stun.example.org:3478',
    ].join('\n'),
  );
});
