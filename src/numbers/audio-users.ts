/**
 * Which DIDs play an audio file: a number whose routing plays it (音声ファイル再生) or takes a
 * message under it (留守電), for a 409 on its delete. Read from the table: the phone numbers
 * service keeps no list of them all.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AudioFileUser } from '../audio/service.js';
import type { DbOrTx } from '../platform/db/client.js';
import { phoneNumbers } from './schema.js';

export function phoneNumbersPlaying(db: DbOrTx) {
  return (audioFileId: number): AudioFileUser[] =>
    db
      .select({ id: phoneNumbers.id, number: phoneNumbers.number })
      .from(phoneNumbers)
      .where(
        and(
          inArray(phoneNumbers.routeType, ['audio', 'voicemail']),
          eq(phoneNumbers.routeTarget, String(audioFileId)),
        ),
      )
      .orderBy(asc(phoneNumbers.number))
      .all()
      .map((row) => ({ kind: 'phone_number', id: row.id, name: row.number, field: 'route' }));
}
