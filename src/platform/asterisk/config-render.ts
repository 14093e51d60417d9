/**
 * Rendering asterisk-config/ into a private runtime directory: every `{{NAME}}` placeholder is
 * replaced by its value. An unknown placeholder is an error, so a typo in a template fails the
 * start instead of reaching Asterisk.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** asterisk-config/ at the package root, from src/platform/asterisk as from dist/platform/asterisk. */
export const TEMPLATES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../asterisk-config',
);

export interface TemplateValues {
  /** The runtime directory as Asterisk sees it (inside the chroot, if any). */
  RUNTIME_DIR: string;
  MODULES_DIR: string;
  DATA_DIR: string;
  HTTP_BIND: string;
  HTTP_PORT: number;
  ARI_USER: string;
  ARI_PASSWORD: string;
  AMI_BIND: string;
  AMI_PORT: number;
  AMI_USER: string;
  AMI_SECRET: string;
  SIP_BIND: string;
  SIP_PORT: number;
  RTP_START: number;
  RTP_END: number;
  /** rtp.conf lines about ICE candidates and STUN (rtpIceLines); may be empty. */
  RTP_ICE: string;
  STASIS_APP: string;
}

export interface RtpIceSettings {
  /**
   * Offer ICE host candidates only on addresses in these subnets (CIDR); empty = every
   * interface but loopback (Asterisk never offers loopback).
   */
  iceSubnets: string[];
  /** A STUN server (host[:port]) through which Asterisk learns its public address, if any. */
  stunServer: string | undefined;
}

/** The rtp.conf lines for `RTP_ICE` (pure). */
export function rtpIceLines(settings: RtpIceSettings): string {
  const lines: string[] = [];
  if (settings.iceSubnets.length > 0) {
    // Asterisk's ACLs: the last rule that matches wins.
    lines.push('ice_deny = 0.0.0.0/0', 'ice_deny = ::/0');
    for (const subnet of settings.iceSubnets) lines.push(`ice_permit = ${subnet}`);
  }
  if (settings.stunServer !== undefined) lines.push(`stunaddr = ${settings.stunServer}`);
  return lines.length > 0
    ? lines.join('\n')
    : '; ICE host candidates: every interface but loopback';
}

export function renderTemplate(
  template: string,
  values: TemplateValues,
  file = 'template',
): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`${file}: unknown placeholder {{${name}}}`);
    return String(values[name as keyof TemplateValues]);
  });
}

/** Writes every *.conf of `templatesDir`, rendered, into `etcDir`; returns the file names. */
export function renderConfiguration(
  etcDir: string,
  values: TemplateValues,
  templatesDir: string = TEMPLATES_DIR,
): string[] {
  mkdirSync(etcDir, { recursive: true, mode: 0o700 });
  const files = readdirSync(templatesDir).filter((f) => f.endsWith('.conf'));
  for (const file of files) {
    const rendered = renderTemplate(readFileSync(join(templatesDir, file), 'utf8'), values, file);
    // The files hold the ARI and AMI credentials: readable by the owner only.
    writeFileSync(join(etcDir, file), rendered, { mode: 0o600 });
  }
  return files;
}
