/**
 * The CC_TRANSFER tag on the customer's channel (pure): where a transfer is, for a restarted
 * server to take it back — `<id>|<mode>|<status>|<initiator channel>|<recipient channel or ''>|
 * <to>|<created ms>|<initiator agent id or ''>` (the last field is absent in tags written by an
 * earlier release).
 */
import type { TransferMode, TransferStatus } from './state.js';

export interface TransferTag {
  id: string;
  mode: TransferMode;
  status: TransferStatus;
  initiatorChannelId: string;
  /** Known once the recipient answered. */
  recipientChannelId: string | null;
  to: string;
  createdAt: Date;
  initiatorAgentId: number | null;
}

export function transferTag(t: TransferTag): string {
  return [
    t.id,
    t.mode,
    t.status,
    t.initiatorChannelId,
    t.recipientChannelId ?? '',
    t.to,
    String(t.createdAt.getTime()),
    t.initiatorAgentId === null ? '' : String(t.initiatorAgentId),
  ].join('|');
}

const MODES: readonly string[] = ['blind', 'attended'];
const STATUSES: readonly string[] = ['ringing', 'answered', 'completed', 'cancelled'];

export function parseTransferTag(value: string): TransferTag | undefined {
  const [id = '', mode = '', status = '', initiator = '', recipient = '', to = '', created, agent] =
    value.split('|');
  const createdMs = Number(created);
  if (id === '' || initiator === '' || !MODES.includes(mode) || !STATUSES.includes(status))
    return undefined;
  if (!Number.isFinite(createdMs)) return undefined;
  const agentId = agent === undefined || agent === '' ? null : Number(agent);
  return {
    id,
    mode: mode as TransferMode,
    status: status as TransferStatus,
    initiatorChannelId: initiator,
    recipientChannelId: recipient === '' ? null : recipient,
    to,
    createdAt: new Date(createdMs),
    initiatorAgentId: agentId !== null && Number.isInteger(agentId) ? agentId : null,
  };
}
