/**
 * A terminal as Asterisk objects (pure). Every field is written out: objects pushed over ARI
 * cannot inherit pjsip.conf templates, and an update merges into what Asterisk has.
 */
import type { SipEndpointSettings } from '../config.js';
import { livenessFields } from '../platform/asterisk/endpoint-liveness.js';
import type { EndpointObjects } from '../platform/asterisk/provisioning.js';
import { transferFields } from '../platform/asterisk/transfer-handling.js';
import type { TerminalRow } from './schema.js';

export interface TerminalIdentity {
  /** What the phone shows as its own number and name, e.g. the agent's extension. */
  callerIdName: string;
  callerIdNumber: string;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function terminalObjects(
  terminal: Pick<TerminalRow, 'sipUser' | 'codecs' | 'dtmfMode' | 'behindNat' | 'maxContacts'>,
  secret: string,
  identity: TerminalIdentity,
  sip: SipEndpointSettings,
  /** The phone's transfer button (REFER) is handed to the server; refused (603) when false. */
  referToServer: boolean,
): EndpointObjects {
  const id = terminal.sipUser;
  const name = identity.callerIdName.replace(/["<>]/g, '');
  return {
    id,
    objects: {
      auth: { auth_type: 'userpass', username: id, password: secret },
      aor: {
        max_contacts: String(terminal.maxContacts),
        remove_existing: 'yes',
        // OPTIONS pings: a phone that stops answering is unreachable, and its agent offline.
        qualify_frequency: String(sip.qualifySeconds),
        qualify_timeout: '3',
      },
      endpoint: {
        aors: id,
        auth: id,
        context: 'from-phones',
        disallow: 'all',
        allow: terminal.codecs.join(','),
        // Media stays in Asterisk, so calls can be recorded, monitored and moved between bridges.
        direct_media: 'no',
        dtmf_mode: terminal.dtmfMode,
        rtp_symmetric: yesNo(terminal.behindNat),
        force_rport: yesNo(terminal.behindNat),
        rewrite_contact: yesNo(terminal.behindNat),
        callerid: `"${name}" <${identity.callerIdNumber}>`,
        send_pai: 'yes',
        trust_id_inbound: 'no',
        // No mid-call UPDATE / re-INVITE just to refresh the other party's name on the display.
        send_connected_line: 'no',
        ...transferFields(referToServer),
        ...livenessFields(sip),
      },
    },
  };
}
