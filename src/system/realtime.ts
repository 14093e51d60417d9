/**
 * The `system` realtime topic: the state of the links to Asterisk. Every logged-in client may
 * watch it (an operator's screen should say when the phone system is unreachable).
 * Event: `asterisk_connection_changed` with the gateway's status.
 */
import type { AsteriskGateway } from '../platform/asterisk/gateway.js';
import type { Hub } from '../platform/realtime/hub.js';

export function publishSystemEvents(hub: Hub, asterisk: AsteriskGateway): () => void {
  hub.defineTopic('system', {
    canSubscribe: () => true,
    snapshot: () => ({ asterisk: asterisk.status() }),
  });
  return asterisk.onStatusChange((status) =>
    hub.publish('system', 'asterisk_connection_changed', status),
  );
}
