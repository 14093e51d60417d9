/**
 * The fields every endpoint we provision carries so that a party that vanishes without a BYE
 * (power cut, network gone) does not leave a call up for ever: RTP inactivity timeouts, in a call
 * and on hold, and SIP session timers (refreshed by Asterisk where the peer supports them).
 */
import type { SipEndpointSettings } from '../../config.js';

/** Session timers' smallest interval (RFC 4028 §4; Asterisk refuses less than 90). */
const MIN_SESSION_EXPIRES = 90;

export function livenessFields(sip: SipEndpointSettings): Record<string, string> {
  return {
    rtp_timeout: String(sip.rtpTimeoutSeconds),
    rtp_timeout_hold: String(sip.rtpHoldTimeoutSeconds),
    timers: 'yes',
    timers_min_se: String(MIN_SESSION_EXPIRES),
    timers_sess_expires: String(Math.max(sip.sessionExpiresSeconds, MIN_SESSION_EXPIRES)),
  };
}
