/** Which groups play an audio file (greeting, announcement, whisper), for a 409 on its delete. */
import type { AudioFileUser } from '../audio/service.js';
import type { GroupsService } from './groups-service.js';

const FIELDS = [
  ['greetingAudioFileId', 'greeting'],
  ['announcementAudioFileId', 'announcement'],
  ['whisperAudioFileId', 'whisper'],
] as const;

export function groupsPlaying(groups: Pick<GroupsService, 'all'>) {
  return (audioFileId: number): AudioFileUser[] =>
    groups.all().flatMap((group) =>
      FIELDS.filter(([column]) => group[column] === audioFileId).map(([, field]) => ({
        kind: 'group',
        id: group.id,
        name: group.name,
        field,
      })),
    );
}
