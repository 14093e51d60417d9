/**
 * Channel tags: the channel variables that say what a channel is to us, so a restarted server
 * can tell from `GET /channels` alone which call each channel belongs to and what it was doing.
 * ARI includes them in every channel object (asterisk-config/ari.conf `channelvars`; a variable
 * not set comes as "").
 */
import type { AriChannel } from '../platform/asterisk/ari-types.js';

export const TAG = {
  /** The call the channel belongs to. */
  callId: 'CC_CALL_ID',
  /** caller | callee. */
  leg: 'CC_LEG',
  /** The agent on this channel's phone. */
  agentId: 'CC_AGENT_ID',
  /** A caller waiting in a queue: `<group>:<entered ms>:<original position>:<arrived ms>`. */
  queue: 'CC_QUEUE',
  /** A parked party: `<slot>:<parked ms>:<parker agent id or ''>`. */
  park: 'CC_PARK',
  /**
   * The customer of a call being transferred:
   * `<id>|<mode>|<status>|<initiator channel>|<recipient channel or ''>|<to>|<created ms>`.
   */
  transfer: 'CC_TRANSFER',
  /** A conference room's participant: `<room>:<joined ms>:<muted 1|0>`. */
  conference: 'CC_CONFERENCE',
} as const;

export type TagName = (typeof TAG)[keyof typeof TAG];

/** A tag's value on a channel, or undefined when it is not set. */
export function tagOf(channel: AriChannel, name: TagName): string | undefined {
  const value = channel.channelvars?.[name];
  return value === undefined || value === '' ? undefined : value;
}
