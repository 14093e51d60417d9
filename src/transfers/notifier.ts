/**
 * Transfer events, on the `calls` topic beside the call's own (and on `me` for its agents): who
 * sees a call sees its transfers.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import { visibleTo } from '../calls/notifier.js';
import { agentsOf, type Call } from '../calls/model.js';
import type { TransferEventName, TransferMode, TransferStatus } from './state.js';

export interface TransferWire {
  id: string;
  callId: string;
  mode: TransferMode;
  status: TransferStatus;
  /** The number transferred to, as dialled. */
  to: string;
  initiatorAgentId: number | null;
  recipientAgentId: number | null;
  createdAt: string;
}

export type TransferEvents = Record<'transfer_created' | TransferEventName, TransferWire>;

export function createTransferNotifier(hub: Hub) {
  const calls = typedTopic<TransferEvents>(hub, 'calls');
  const me = typedTopic<TransferEvents>(hub, 'me');
  return {
    publish(name: keyof TransferEvents, data: TransferWire, call: Call): void {
      calls.publish(name, data, visibleTo(call));
      const agents = new Set([...agentsOf(call), data.initiatorAgentId, data.recipientAgentId]);
      for (const agentId of agents) {
        if (agentId === null) continue;
        me.publish(name, data, (p) => p.kind === 'agent' && p.id === agentId);
      }
    },
  };
}
