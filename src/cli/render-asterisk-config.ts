/**
 * `npm run asterisk:render -- --out <dir> [options]`: renders asterisk-config/ for an Asterisk the
 * server does not manage (external mode), e.g. a container. The ARI and AMI credentials come from
 * the same environment variables the server reads (ARI_USER, ARI_PASSWORD, AMI_USER, AMI_SECRET),
 * so both sides agree.
 *
 *   --out <dir>           where to write the .conf files (required)
 *   --runtime-dir <path>  the directory as Asterisk will see it (default: --out); asterisk.conf
 *                         points every writable directory inside it, so it must be writable
 *   --modules-dir <path>  Asterisk's modules (default /usr/lib/asterisk/modules)
 *   --data-dir <path>     sounds and MOH (default /usr/share/asterisk)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { envSchema, readEnvironment } from '../config.js';
import { renderConfiguration, rtpIceLines } from '../platform/asterisk/config-render.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    'runtime-dir': { type: 'string' },
    'modules-dir': { type: 'string', default: '/usr/lib/asterisk/modules' },
    'data-dir': { type: 'string', default: '/usr/share/asterisk' },
  },
});

const env = readEnvironment();
const missing = ['ARI_USER', 'ARI_PASSWORD', 'AMI_USER', 'AMI_SECRET'].filter((name) => !env[name]);
if (values.out === undefined || missing.length > 0) {
  process.stderr.write(
    `usage: npm run asterisk:render -- --out <dir> [--runtime-dir <path>] [--modules-dir <path>]\n` +
      (missing.length > 0 ? `missing environment: ${missing.join(', ')}\n` : ''),
  );
  process.exit(2);
}

const out = resolve(values.out);
const files = renderConfiguration(out, {
  RUNTIME_DIR: values['runtime-dir'] ?? out,
  MODULES_DIR: values['modules-dir'],
  DATA_DIR: values['data-dir'],
  HTTP_BIND: env.ASTERISK_ARI_BIND ?? '127.0.0.1',
  HTTP_PORT: Number(env.ASTERISK_ARI_PORT ?? 8088),
  ARI_USER: env.ARI_USER ?? '',
  ARI_PASSWORD: env.ARI_PASSWORD ?? '',
  AMI_BIND: env.ASTERISK_AMI_BIND ?? '127.0.0.1',
  AMI_PORT: Number(env.AMI_PORT ?? 5038),
  AMI_USER: env.AMI_USER ?? '',
  AMI_SECRET: env.AMI_SECRET ?? '',
  SIP_BIND: env.ASTERISK_SIP_BIND ?? '0.0.0.0',
  SIP_PORT: Number(env.ASTERISK_SIP_PORT ?? 5060),
  RTP_START: Number(env.ASTERISK_RTP_PORT_START ?? 10000),
  RTP_END: Number(env.ASTERISK_RTP_PORT_END ?? 20000),
  RTP_ICE: rtpIceLines({
    iceSubnets: envSchema.shape.ASTERISK_ICE_SUBNETS.parse(env.ASTERISK_ICE_SUBNETS),
    stunServer: envSchema.shape.ASTERISK_STUN_SERVER.parse(env.ASTERISK_STUN_SERVER),
  }),
  STASIS_APP: env.STASIS_APP ?? 'callcenter',
});
process.stdout.write(`rendered ${files.length} files into ${out}\n`);
