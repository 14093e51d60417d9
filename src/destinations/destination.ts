/**
 * A destination (ルーティング): where a call is sent next — an agent, an extension, an external
 * transfer, a group, an IVR, an audio file played to the caller (then hung up, or voicemail when
 * the file has 留守電 on), or straight to voicemail (the message filed under an audio file, whose
 * mail settings it follows). One concept for every place that sends calls on: a DID's routing
 * (§11-5), a group's overflow and timeout (§11-2), an IVR's default, rules and keys (§11-3) and,
 * as they come, a campaign's. Pure: the wire schema, and the two text columns (type, target) it
 * is stored in.
 */
import { z } from 'zod';
import { extensionDigits } from '../numbers/digits.js';

export const DESTINATION_TYPES = [
  'agent',
  'extension',
  'external_transfer',
  'group',
  'ivr',
  'audio',
  'voicemail',
] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export type Destination =
  | { type: 'agent'; agentId: number }
  | { type: 'extension'; extension: string }
  | { type: 'external_transfer'; externalTransferId: number }
  | { type: 'group'; groupId: number }
  | { type: 'ivr'; ivrId: number }
  | { type: 'audio'; audioFileId: number }
  | { type: 'voicemail'; audioFileId: number };

export const destinationSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('agent'), agentId: z.number().int().positive() }),
    z.object({ type: z.literal('extension'), extension: extensionDigits }),
    z.object({
      type: z.literal('external_transfer'),
      externalTransferId: z.number().int().positive(),
    }),
    z.object({ type: z.literal('group'), groupId: z.number().int().positive() }),
    z.object({ type: z.literal('ivr'), ivrId: z.number().int().positive() }),
    z
      .object({ type: z.literal('audio'), audioFileId: z.number().int().positive() })
      .describe(
        '音声ファイル再生: played, then hung up — or voicemail when the file has 留守電 on',
      ),
    z
      .object({ type: z.literal('voicemail'), audioFileId: z.number().int().positive() })
      .describe('留守電: the instructions, a beep and a message, filed under the audio file'),
  ])
  .describe(
    'ルーティング: where calls go (an agent, an extension, an external transfer, a group, an ' +
      'IVR, an audio file, voicemail)',
  );

/** How a destination is stored: its type and its target (an id or an extension) as text. */
export interface DestinationColumns {
  type: DestinationType | null;
  target: string | null;
}

export function destinationOf(columns: DestinationColumns): Destination | null {
  const { type, target } = columns;
  if (type === null || target === null) return null;
  switch (type) {
    case 'agent':
      return { type: 'agent', agentId: Number(target) };
    case 'extension':
      return { type: 'extension', extension: target };
    case 'external_transfer':
      return { type: 'external_transfer', externalTransferId: Number(target) };
    case 'group':
      return { type: 'group', groupId: Number(target) };
    case 'ivr':
      return { type: 'ivr', ivrId: Number(target) };
    case 'audio':
      return { type: 'audio', audioFileId: Number(target) };
    case 'voicemail':
      return { type: 'voicemail', audioFileId: Number(target) };
  }
}

export function destinationColumns(destination: Destination | null): DestinationColumns {
  if (destination === null) return { type: null, target: null };
  switch (destination.type) {
    case 'agent':
      return { type: 'agent', target: String(destination.agentId) };
    case 'extension':
      return { type: 'extension', target: destination.extension };
    case 'external_transfer':
      return { type: 'external_transfer', target: String(destination.externalTransferId) };
    case 'group':
      return { type: 'group', target: String(destination.groupId) };
    case 'ivr':
      return { type: 'ivr', target: String(destination.ivrId) };
    case 'audio':
    case 'voicemail':
      return { type: destination.type, target: String(destination.audioFileId) };
  }
}
