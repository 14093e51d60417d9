/**
 * A trunk as Asterisk objects (pure). Endpoint ids are `trunk_<name>`: terminal IDs are
 * alphanumeric only, so the two can never collide.
 */
import type { SipEndpointSettings } from '../config.js';
import { livenessFields } from '../platform/asterisk/endpoint-liveness.js';
import type { EndpointObjects } from '../platform/asterisk/provisioning.js';
import type { TrunkRow } from './schema.js';

/** What a trunk's objects are made of: its row's settings (a row not stored yet will do). */
export type TrunkSettings = Pick<
  TrunkRow,
  | 'name'
  | 'host'
  | 'port'
  | 'username'
  | 'register'
  | 'fromUser'
  | 'fromDomain'
  | 'matchAddresses'
  | 'codecs'
  | 'dtmfMode'
>;

export const trunkEndpointId = (name: string) => `trunk_${name}`;

export function trunkObjects(
  trunk: TrunkSettings,
  secret: string | null,
  sip: SipEndpointSettings,
): EndpointObjects {
  const id = trunkEndpointId(trunk.name);
  const uri = `sip:${trunk.host}:${trunk.port}`;
  const username = trunk.username;
  const hasAuth = username !== null && secret !== null;
  const objects: EndpointObjects['objects'] = {
    auth: hasAuth ? { auth_type: 'userpass', username, password: secret } : null,
    aor: { contact: uri, qualify_frequency: '0' },
    endpoint: {
      aors: id,
      outbound_auth: hasAuth ? id : '',
      context: 'from-trunk',
      disallow: 'all',
      allow: trunk.codecs.join(','),
      direct_media: 'no',
      dtmf_mode: trunk.dtmfMode,
      rtp_symmetric: 'yes',
      force_rport: 'yes',
      rewrite_contact: 'yes',
      // The carrier is trusted with our identity: it gets the real number in P-Asserted-Identity
      // even when the caller withholds it (184), and honours Privacy: id.
      send_pai: 'yes',
      send_rpid: 'no',
      trust_id_outbound: 'yes',
      trust_id_inbound: 'yes',
      send_connected_line: 'no',
      // A carrier's REFER is refused (603): Asterisk would otherwise run the transfer itself.
      allow_transfer: 'no',
      identify_by: 'ip',
      from_user: trunk.fromUser ?? '',
      from_domain: trunk.fromDomain ?? '',
      // Said outright, so that a comparison with Asterisk's copy sees a corrupted one (`unknown`).
      callerid: '',
      ...livenessFields(sip),
    },
    identify:
      trunk.matchAddresses.length > 0
        ? { endpoint: id, match: trunk.matchAddresses.join(',') }
        : null,
    registration:
      trunk.register && hasAuth
        ? {
            server_uri: uri,
            client_uri: `sip:${username}@${trunk.host}`,
            outbound_auth: id,
            retry_interval: '30',
            forbidden_retry_interval: '300',
            expiration: '600',
            // Register at once (not after a random delay), and recognise the carrier's calls by
            // the line token it sends back in the Request-URI.
            max_random_initial_delay: '0',
            line: 'yes',
            endpoint: id,
          }
        : null,
  };
  return { id, objects };
}
