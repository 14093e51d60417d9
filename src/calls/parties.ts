/**
 * Who is on a channel: a phone of ours (and so which terminal and agent) or a carrier's trunk,
 * from the channel's name as Asterisk gives it (PJSIP/<endpoint>-<sequence>).
 */
import type { AriChannel } from '../platform/asterisk/ari-types.js';
import { agentOnTerminal } from '../terminals/schema.js';
import type { TerminalsService } from '../terminals/service.js';
import type { TrunksService } from '../trunks/service.js';
import type { Leg, LegRole, LegState } from './model.js';
import type { LegRecord } from './registry.js';

export type Party = Pick<Leg, 'kind' | 'terminal' | 'agentId'>;

export function createParties(
  terminals: Pick<TerminalsService, 'seatOf'>,
  trunks: Pick<TrunksService, 'byEndpoint'>,
) {
  return { of, leg };

  /** A channel already in the application as a leg: answered or not, as Asterisk says. */
  function leg(
    channel: AriChannel,
    role: LegRole,
    state: LegState = channel.state === 'Up' ? 'up' : 'ringing',
  ): LegRecord {
    return {
      channelId: channel.id,
      channelName: channel.name,
      role,
      ...of(channel),
      state,
      held: false,
    };
  }

  function of(channel: Pick<AriChannel, 'name'>): Party {
    const endpoint = /^PJSIP\/(.+)-[0-9a-f]+$/.exec(channel.name)?.[1] ?? '';
    if (trunks.byEndpoint(endpoint) !== undefined)
      return { kind: 'trunk', terminal: null, agentId: null };
    const terminal = terminals.seatOf(endpoint);
    return {
      kind: 'phone',
      terminal: terminal?.sipUser ?? (endpoint || null),
      agentId: terminal === undefined ? null : agentOnTerminal(terminal),
    };
  }
}

export type Parties = ReturnType<typeof createParties>;
