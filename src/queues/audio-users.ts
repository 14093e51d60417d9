/**
 * Which groups play an audio file — greeting, announcement, whisper, or an overflow or timeout
 * that plays it (音声ファイル再生) or takes a message under it (留守電) — for a 409 on its delete.
 */
import type { AudioFileUser } from '../audio/service.js';
import type { Destination } from '../destinations/destination.js';
import type { GroupsService } from './groups-service.js';

const FIELDS = [
  ['greetingAudioFileId', 'greeting'],
  ['announcementAudioFileId', 'announcement'],
  ['whisperAudioFileId', 'whisper'],
] as const;

const ROUTES = ['overflow', 'timeout'] as const;

const plays = (route: Destination | null, audioFileId: number) =>
  (route?.type === 'audio' || route?.type === 'voicemail') && route.audioFileId === audioFileId;

export function groupsPlaying(groups: Pick<GroupsService, 'all'>) {
  return (audioFileId: number): AudioFileUser[] =>
    groups.all().flatMap((group) => [
      ...FIELDS.filter(([column]) => group[column] === audioFileId).map(([, field]) => ({
        kind: 'group',
        id: group.id,
        name: group.name,
        field,
      })),
      ...ROUTES.filter((field) => plays(group[field], audioFileId)).map((field) => ({
        kind: 'group',
        id: group.id,
        name: group.name,
        field,
      })),
    ]);
}
