/**
 * Conference rooms (電話会議室, spec §5-1, §13): a fixed set of numbers (9201–9203 by default) that
 * any phone dials to join. Pure: what the setting means, which numbers are rooms, and the tag a
 * member carries so a restarted server finds them in their room.
 */

export interface ConferenceSettings {
  /** The rooms' numbers, in the order the browser phone shows them (電話会議 1, 2, 3). */
  rooms: string[];
  /** Entry and exit tones to the room. */
  tones: boolean;
}

/** CONFERENCE_ROOMS's text: numbers separated by commas, or a range such as 9201-9203. */
export function roomsOf(text: string): string[] | { problem: string } {
  const range = /^(\d{2,6})-(\d{2,6})$/.exec(text.trim());
  if (range !== null) {
    const [, first = '', last = ''] = range;
    if (first.length !== last.length || Number(last) < Number(first))
      return { problem: 'the range must run upwards between numbers of the same length' };
    if (Number(last) - Number(first) >= 100) return { problem: 'at most 100 rooms' };
    const rooms: string[] = [];
    for (let n = Number(first); n <= Number(last); n += 1)
      rooms.push(String(n).padStart(first.length, '0'));
    return rooms;
  }
  const rooms = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (rooms.length === 0) return { problem: 'name at least one room' };
  if (rooms.some((r) => !/^\d{2,6}$/.test(r)))
    return { problem: 'a room is a number of 2 to 6 digits' };
  if (new Set(rooms).size !== rooms.length) return { problem: 'a room is named twice' };
  return rooms;
}

export function isRoom(settings: Pick<ConferenceSettings, 'rooms'>, dialled: string): boolean {
  return settings.rooms.includes(dialled);
}

/** Where a member is, as the CC_CONFERENCE tag says: `<room>:<joined ms>:<muted 1|0>`. */
export interface Membership {
  room: string;
  joinedAt: Date;
  muted: boolean;
}

export function membershipTag(m: Membership): string {
  return `${m.room}:${m.joinedAt.getTime()}:${m.muted ? 1 : 0}`;
}

export function parseMembershipTag(value: string): Membership | undefined {
  const [room = '', at = '', muted = ''] = value.split(':');
  const joinedAt = Number(at);
  if (!/^\d+$/.test(room) || at === '' || !Number.isFinite(joinedAt)) return undefined;
  return { room, joinedAt: new Date(joinedAt), muted: muted === '1' };
}
