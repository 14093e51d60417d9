/**
 * A destination must name something that exists when it is saved: an agent, an external
 * transfer, a group, an IVR or an audio file that is not there is refused (422) and nothing
 * changes. An extension is checked when
 * it is dialled (it may be a phone, a group, a park slot or a room). Reads the tables directly,
 * so the services that own them need not know who points at them.
 */
import { eq } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import { audioFiles } from '../audio/schema.js';
import { ivrs } from '../ivr/schema.js';
import type { Db } from '../platform/db/client.js';
import { unprocessable } from '../platform/http/errors.js';
import { externalTransfers } from '../numbers/schema.js';
import { groups } from '../queues/schema.js';
import type { Destination } from './destination.js';

function missing(db: Db, destination: Destination): string | undefined {
  switch (destination.type) {
    case 'agent':
      return db
        .select({ id: agents.id })
        .from(agents)
        .where(eq(agents.id, destination.agentId))
        .get()
        ? undefined
        : `There is no agent ${destination.agentId}`;
    case 'external_transfer':
      return db
        .select({ id: externalTransfers.id })
        .from(externalTransfers)
        .where(eq(externalTransfers.id, destination.externalTransferId))
        .get()
        ? undefined
        : `There is no external transfer ${destination.externalTransferId}`;
    case 'group':
      return db
        .select({ id: groups.id })
        .from(groups)
        .where(eq(groups.id, destination.groupId))
        .get()
        ? undefined
        : `There is no group ${destination.groupId}`;
    case 'ivr':
      return db.select({ id: ivrs.id }).from(ivrs).where(eq(ivrs.id, destination.ivrId)).get()
        ? undefined
        : `There is no IVR ${destination.ivrId}`;
    case 'audio':
    case 'voicemail':
      return db
        .select({ id: audioFiles.id })
        .from(audioFiles)
        .where(eq(audioFiles.id, destination.audioFileId))
        .get()
        ? undefined
        : `There is no audio file ${destination.audioFileId}`;
    case 'extension':
      return undefined;
  }
}

/** Refuses (422 unknown_route_target) a destination whose target is missing. */
export function assertDestination(db: Db, destination: Destination | null | undefined): void {
  if (destination === null || destination === undefined) return;
  const problem = missing(db, destination);
  if (problem !== undefined) throw unprocessable('unknown_route_target', problem);
}
