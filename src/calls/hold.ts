/**
 * Hold, from the phone (ChannelHold) or over REST: the other parties leave the call's bridge and
 * hear music on hold on their own channel; on resume they come back. Asterisk's own hold music
 * covers only two-party native bridges, and music started on a channel still in a bridge mixes
 * with the call's audio, so this is done the same way for every call.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import type { AgentLoad } from './agent-load.js';
import type { Media } from './media.js';
import { agentsOf, liveLegs } from './model.js';
import type { CallNotifier } from './notifier.js';
import type { CallRecord, LegRecord } from './registry.js';

export function createHold(deps: {
  ari: AriPort;
  media: Media;
  notifier: CallNotifier;
  agentLoad: AgentLoad;
}) {
  const { ari, media, notifier, agentLoad } = deps;

  return {
    /** The party on `leg` holds (`held`) or resumes. */
    async setHeld(call: CallRecord, leg: LegRecord, held: boolean): Promise<void> {
      if (leg.held === held || call.state !== 'up' || call.bridgeId === null) return;
      const bridgeId = call.bridgeId;
      leg.held = held;
      const others = liveLegs(call).filter((l) => l !== leg);
      for (const other of others) {
        if (held) {
          await media.quietly(() => ari.bridges.removeChannel(bridgeId, [other.channelId]));
          await media.quietly(() => ari.channels.startMoh(other.channelId));
        } else if (!others.some((l) => l.held)) {
          await media.quietly(() => ari.channels.stopMoh(other.channelId));
          await media.quietly(() => ari.bridges.addChannel(bridgeId, [other.channelId]));
        }
      }
      agentLoad.update(agentsOf(call));
      notifier.publish(call, held ? 'call_held' : 'call_resumed');
    },
  };
}
