/**
 * What a browser may send over its SIP WebSocket (pure): it speaks for its agent's own WebRTC
 * terminal and no other. A request that opens something (no To tag: REGISTER, a new INVITE,
 * OPTIONS, MESSAGE …) must come From that terminal, a REGISTER must register it (To), and any
 * digest credentials must be its own — so a signed-in agent cannot use the socket to try another
 * terminal's password. Requests inside a dialog Asterisk accepted (To has a tag) and responses
 * pass: Asterisk matches them to what it already authenticated.
 *
 * One WebSocket message is one SIP message (RFC 7118 §5).
 */

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/** Compact header forms (RFC 3261 §7.3.3) of the headers read here. */
const COMPACT: Readonly<Record<string, string>> = { f: 'from', t: 'to' };

interface ParsedSip {
  method: string | undefined;
  headers: Map<string, string[]>;
}

function parse(message: string): ParsedSip | undefined {
  const end = message.search(/\r?\n\r?\n/);
  const head = end === -1 ? message : message.slice(0, end);
  const [startLine = '', ...lines] = head.split(/\r?\n/);
  let method: string | undefined;
  if (/^SIP\/2\.0 \d{3}/.test(startLine)) method = undefined;
  else {
    const request = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(startLine);
    if (request === null) return undefined;
    method = request[1];
  }
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      // A folded continuation line belongs to the header before it.
      const values = headers.get(last) ?? [];
      values[values.length - 1] = `${values.at(-1) ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    last = name;
  }
  return { method, headers };
}

/** The user part of a name-addr or addr-spec header value (`"x" <sip:user@host>;tag=…`). */
function userOf(value: string): string | undefined {
  const match = /<?sips?:([^@;>]+)@/i.exec(value);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

function hasTag(value: string): boolean {
  // Parameters after the URI (outside <>): `;tag=`.
  const afterUri = value.includes('>') ? value.slice(value.lastIndexOf('>')) : value;
  return /;\s*tag=/i.test(afterUri);
}

/** The `username` of a Digest Authorization value. */
function digestUser(value: string): string | undefined {
  const match = /(?:^|[\s,])username\s*=\s*"([^"]*)"/i.exec(value.replace(/^Digest\s+/i, ' '));
  return match?.[1];
}

export function checkBrowserSip(message: string, sipUser: string): GuardVerdict {
  const parsed = parse(message);
  if (parsed === undefined) return { ok: false, reason: 'not a SIP message' };
  if (parsed.method === undefined) return { ok: true };
  const { method, headers } = parsed;
  const from = headers.get('from')?.[0];
  const to = headers.get('to')?.[0];
  if (from === undefined || to === undefined) return { ok: false, reason: 'no From or To' };
  for (const name of ['authorization', 'proxy-authorization']) {
    for (const value of headers.get(name) ?? []) {
      if (digestUser(value) !== sipUser)
        return { ok: false, reason: `${method}: credentials of another user` };
    }
  }
  if (hasTag(to)) return { ok: true };
  if (userOf(from) !== sipUser) return { ok: false, reason: `${method}: From another user` };
  if (method === 'REGISTER' && userOf(to) !== sipUser)
    return { ok: false, reason: 'REGISTER: To another user' };
  return { ok: true };
}
