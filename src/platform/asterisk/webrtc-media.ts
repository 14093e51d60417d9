/**
 * The endpoint fields that make a terminal a browser phone's (WebRTC) or a plain SIP phone's
 * (pure).
 *
 * `webrtc=yes` makes Asterisk set, as it applies the endpoint, what a browser needs: ICE,
 * AVPF, rtcp-mux, bundle, the received transport, and DTLS-SRTP (`media_encryption=dtls`,
 * `dtls_setup=actpass`, `dtls_verify=fingerprint`). Trust comes from the fingerprint in the
 * SDP, so no CA is involved: by default Asterisk makes a fresh self-signed certificate for each
 * call (`dtls_auto_generate_cert`), or it loads the one configured (paths on Asterisk's host).
 *
 * The flag is always written, `no` included: those implied settings are OR-ed into the object
 * when it is applied, so an endpoint that stops being WebRTC must be re-created, not updated —
 * and the provisioner re-creates an endpoint whose fields differ from ours (provisioning.ts).
 */
import type { BrowserPhoneSettings } from '../../config.js';

export function mediaFields(
  webrtc: boolean,
  dtls: BrowserPhoneSettings['dtls'],
): Record<string, string> {
  if (!webrtc) return { webrtc: 'no' };
  return {
    webrtc: 'yes',
    ...(dtls === undefined
      ? { dtls_auto_generate_cert: 'yes' }
      : { dtls_cert_file: dtls.certFile, dtls_private_key: dtls.keyFile }),
  };
}
