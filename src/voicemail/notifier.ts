/**
 * The `voicemails` topic (voicemails.view): the 20 latest messages as the snapshot, then
 * `voicemail_received` for each new one, `voicemail_mail_status` when its mail is sent or
 * given up, and `voicemails_deleted`.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { VoicemailMailStatus, VoicemailRow } from './schema.js';

export const VOICEMAILS_VIEW = 'voicemails.view';

export interface VoicemailWire {
  id: number;
  callId: string;
  receivedAt: string;
  fromNumber: string;
  fromName: string;
  toNumber: string;
  audioFileId: number | null;
  audioFileName: string;
  seconds: number;
  mailStatus: VoicemailMailStatus;
  mailTo: string | null;
}

export const toVoicemailWire = (row: VoicemailRow): VoicemailWire => ({
  id: row.id,
  callId: row.callId,
  receivedAt: row.receivedAt.toISOString(),
  fromNumber: row.fromNumber,
  fromName: row.fromName,
  toNumber: row.toNumber,
  audioFileId: row.audioFileId,
  audioFileName: row.audioFileName,
  seconds: row.seconds,
  mailStatus: row.mailStatus,
  mailTo: row.mailTo,
});

export interface VoicemailEvents {
  voicemail_received: { voicemail: VoicemailWire };
  voicemail_mail_status: { voicemailId: number; mailStatus: VoicemailMailStatus };
  voicemails_deleted: { ids: number[] };
}

export function createVoicemailNotifier(hub: Hub, recent: () => VoicemailRow[]) {
  const canSee = (p: { permissions: ReadonlySet<string> }) => p.permissions.has(VOICEMAILS_VIEW);
  hub.defineTopic('voicemails', {
    canSubscribe: canSee,
    snapshot: () => ({ recent: recent().map(toVoicemailWire) }),
  });
  const topic = typedTopic<VoicemailEvents>(hub, 'voicemails');
  return {
    received: (row: VoicemailRow) =>
      void topic.publish('voicemail_received', { voicemail: toVoicemailWire(row) }, canSee),
    mailStatus: (row: VoicemailRow) =>
      void topic.publish(
        'voicemail_mail_status',
        { voicemailId: row.id, mailStatus: row.mailStatus },
        canSee,
      ),
    deleted: (ids: number[]) => void topic.publish('voicemails_deleted', { ids }, canSee),
  };
}
