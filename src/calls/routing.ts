/**
 * Where calls go: the decisions of the telephony core, on top of the engine's primitives.
 *
 * - From a phone (`internal`): the digits are resolved by dialplan/resolve.ts. Another agent's
 *   phones ring in any status but offline or busy (seed 001: internal calls arrive in any
 *   status); a terminal rings if registered; a number outside goes through the trunk with the
 *   agent's caller ID — refused when the agent may not call out (外線発信禁止), when the
 *   destination is restricted (発信規制), or when the number's channels are all in use.
 * - From a trunk (`inbound`): blocked callers are refused first (着信拒否), then the DID's channel
 *   limit (refused calls are not written down, §9-1), then its route: an agent who is available
 *   (external calls reach only 受付可 / 待機 agents), an extension, an external transfer, a
 *   group, an IVR, an audio file or voicemail.
 * - Click-to-call: the agent's own phones ring first; once answered, the destination is called
 *   as if the agent had dialled it (§6-1 コールバック).
 */
import type { AgentsService } from '../accounts/agents-service.js';
import { takesExternalCalls, takesInternalCalls } from '../agents/status.js';
import type { AgentStatusService } from '../agents/status-service.js';
import type { ExtensionRegistry } from '../dialplan/extensions.js';
import { resolveDialled, type Destination, type Privacy } from '../dialplan/resolve.js';
import type { BlockedNumbersService } from '../numbers/blocked-numbers-service.js';
import { popupUrl } from '../numbers/digits.js';
import type { ExternalTransfersService } from '../numbers/external-transfers-service.js';
import type { OutboundRestrictionsService } from '../numbers/outbound-restrictions-service.js';
import type { PhoneNumbersService, PhoneNumberView } from '../numbers/phone-numbers-service.js';
// A DID's or a group's routing; `Destination` here is what a dialled number resolves to.
import type { Destination as Route } from '../destinations/destination.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { PromptName } from '../prompts/catalogue.js';
import { conflict, unprocessable } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import { agentOnTerminal } from '../terminals/schema.js';
import type { TerminalsService } from '../terminals/service.js';
import { trunkEndpointId } from '../trunks/pjsip.js';
import type { TrunksService } from '../trunks/service.js';
import type { CallEngine, Target } from './engine.js';
import { callStart, type CallHistoryService } from './history-service.js';
import { farEnd, type Call, type Leg } from './model.js';
import type { EndReason } from './outcomes.js';

export interface RoutingDeps {
  ari: AriPort;
  engine: CallEngine;
  history: CallHistoryService;
  agents: AgentsService;
  agentStatus: AgentStatusService;
  terminals: TerminalsService;
  trunks: TrunksService;
  numbers: PhoneNumbersService;
  blocked: BlockedNumbersService;
  restrictions: OutboundRestrictionsService;
  externalTransfers: ExternalTransfersService;
  extensions: ExtensionRegistry;
  /** The ACD, for calls to a group. */
  queues: {
    enter(call: Call, caller: Leg, groupId: number, visited?: ReadonlySet<number>): Promise<void>;
  };
  /** IVRs (§11-3), for calls to one. */
  ivrs: {
    enter(call: Call, caller: Leg, ivrId: number, visited: ReadonlySet<number>): Promise<void>;
  };
  /** Audio files played to the caller, and voicemail (§11-6). */
  audio: {
    play(call: Call, caller: Leg, audioFileId: number): Promise<void>;
    voicemail(call: Call, caller: Leg, audioFileId: number): Promise<void>;
  };
  settings: { ringSeconds: number; outboundRingSeconds: number };
  /** A system prompt's media, in the agent's language (when the caller is one of ours). */
  prompt(name: PromptName, agentId: number | null): string[];
  log: Logger;
}

/** What a refused caller hears before the call is ended (system prompts). */
const ANNOUNCEMENTS: Partial<Record<EndReason, PromptName>> = {
  forbidden: 'call_cannot_complete',
  restricted: 'call_restricted',
};

/** Where a transfer goes (routing.transferTarget). */
export type TransferTarget =
  | { kind: 'ring'; targets: Target[]; seconds: number }
  | { kind: 'group'; groupId: number }
  | { kind: 'refused'; reason: EndReason | 'self' };

/** What a feature does with a call one of our phones made to a number it claims. */
export type DialledHandler = (call: Call, caller: Leg, dialled: string) => Promise<void>;

export function createRouting(deps: RoutingDeps) {
  const {
    ari,
    engine,
    history,
    agents,
    agentStatus,
    terminals,
    trunks,
    numbers,
    blocked,
    restrictions,
    externalTransfers,
    extensions,
    log,
  } = deps;

  const lookup = {
    agentByExtension: (e: string) =>
      extensions.owner(e)?.kind === 'agent' ? extensions.owner(e)?.id : undefined,
    groupByExtension: (e: string) =>
      extensions.owner(e)?.kind === 'group' ? extensions.owner(e)?.id : undefined,
    externalTransferByExtension: (e: string) =>
      extensions.owner(e)?.kind === 'external_transfer' ? extensions.owner(e)?.id : undefined,
    terminalExists: (u: string) => terminals.bySipUser(u) !== undefined,
    numberByPrefix: (d: string) => {
      const match = numbers.byPrefix(d);
      return match === undefined ? undefined : { phoneNumberId: match.number.id, rest: match.rest };
    },
  };

  function agentIdentity(agentId: number | null): { number: string; name: string } {
    if (agentId === null) return { number: '', name: '' };
    const agent = agents.get(agentId);
    return { number: agent.extension ?? agent.loginId, name: agent.nickname };
  }

  const phoneTargets = engine.agentTargets;

  /** Calls in progress that use `number` (for its 最大チャンネル). */
  function callsOn(phoneNumberId: number): number {
    return engine.list().filter((c) => c.phoneNumberId === phoneNumberId && c.state !== 'ended')
      .length;
  }

  function overLimit(number: PhoneNumberView, call: Call): boolean {
    if (number.maxChannels <= 0) return false;
    return (
      engine
        .list()
        .filter((c) => c !== call && c.phoneNumberId === number.id && c.state !== 'ended').length >=
      number.maxChannels
    );
  }

  /** Plays an announcement to a caller we refuse, then ends the call with the refusal's response. */
  async function announceAndRefuse(call: Call, caller: Leg, reason: EndReason): Promise<void> {
    const prompt = ANNOUNCEMENTS[reason];
    if (prompt !== undefined && caller.kind === 'phone') {
      const media = deps.prompt(prompt, caller.agentId).join(',');
      try {
        // Played as early media: a playback on a channel not answered sends the 183 Session
        // Progress itself (one; asking for progress first would send a second), and the refusal
        // that follows stays a refusal, not an answered call.
        await engine.playToEnd(caller.channelId, media, `${caller.channelId}-announce`);
      } catch (err) {
        log.debug({ err }, 'announcement not played');
      }
    }
    engine.refuse(call, reason);
  }

  /** Rings the targets; connects on answer, refuses (or, for a click-to-call leg, ends) otherwise. */
  async function ring(
    call: Call,
    caller: Leg,
    targets: Target[],
    seconds: number,
    ringback: 'indicate' | 'tone',
  ): Promise<void> {
    // The caller's ringback is asked for after the targets' INVITEs, not before them. An
    // answered caller (e.g. leaving a queue) can no longer be sent a 180: the tone plays instead.
    const forked = engine.fork(call, targets, seconds, caller.channelId);
    const tone =
      ringback === 'indicate' && caller.state !== 'up' ? null : `${caller.channelId}-ringback`;
    const ringingBack = (
      tone === null
        ? ari.channels.ring(caller.channelId)
        : ari.channels.play(caller.channelId, 'tone:ring;tonezone=jp', tone).then(() => undefined)
    ).catch(() => undefined);
    const result = await forked;
    await ringingBack;
    if (tone !== null) await ari.playbacks.stop(tone).catch(() => undefined);
    if (call.state === 'ended') return;
    if ('answered' in result) await engine.connect(call, caller, result.answered);
    else if (caller.state === 'up') engine.finish(call, result.failed, result.cause);
    else engine.refuse(call, result.failed, result.cause);
  }

  /** A call from one of our agents (phone-dialled, or click-to-call) to a resolved destination. */
  async function fromAgent(
    call: Call,
    caller: Leg,
    destination: Destination,
    ringback: 'indicate' | 'tone',
  ): Promise<void> {
    const agentId = caller.agentId;
    const me = agentIdentity(agentId);
    switch (destination.kind) {
      case 'agent': {
        engine.describe(call, { direction: 'internal' });
        const status = agentStatus.get(destination.agentId);
        history.open(callStart(call, { agentId, calleeAgentId: destination.agentId }));
        engine.publish(call, 'call_created');
        if (destination.agentId === agentId || !takesInternalCalls(status)) {
          const reason: EndReason =
            status.status === 'offline' || status.status === 'unknown' ? 'unregistered' : 'busy';
          return refuseOrEnd(call, caller, reason);
        }
        return ring(
          call,
          caller,
          phoneTargets(destination.agentId, me, caller.terminal),
          deps.settings.ringSeconds,
          ringback,
        );
      }
      case 'group':
        engine.describe(call, { direction: 'internal' });
        history.open(callStart(call, { agentId, calleeAgentId: null }));
        engine.publish(call, 'call_created');
        return deps.queues.enter(call, caller, destination.groupId);
      case 'terminal': {
        engine.describe(call, { direction: 'internal' });
        const terminal = terminals.bySipUser(destination.sipUser);
        history.open(
          callStart(call, {
            agentId,
            calleeAgentId: terminal === undefined ? null : agentOnTerminal(terminal),
          }),
        );
        engine.publish(call, 'call_created');
        if (terminal === undefined || !terminals.isRegistered(terminal.sipUser))
          return refuseOrEnd(call, caller, 'unregistered');
        const target: Target = {
          endpoint: `PJSIP/${terminal.sipUser}`,
          kind: 'phone',
          terminal: terminal.sipUser,
          agentId: agentOnTerminal(terminal),
          callerId: me,
        };
        return ring(call, caller, [target], deps.settings.ringSeconds, ringback);
      }
      case 'external_transfer': {
        const transfer = externalTransfers.get(destination.externalTransferId);
        return outbound(
          call,
          caller,
          { number: transfer.number, privacy: 'default', phoneNumberId: null },
          agentId,
          ringback,
        );
      }
      case 'outbound':
        return outbound(call, caller, destination, agentId, ringback);
      case 'unknown':
        engine.describe(call, { direction: 'internal' });
        history.open(callStart(call, { agentId, calleeAgentId: null }));
        engine.publish(call, 'call_created');
        return refuseOrEnd(call, caller, 'unknown_number');
    }
  }

  function refuseOrEnd(call: Call, caller: Leg, reason: EndReason): Promise<void> {
    if (caller.state === 'up') {
      engine.finish(call, reason, null);
      return Promise.resolve();
    }
    return announceAndRefuse(call, caller, reason);
  }

  /** An agent calls out through the trunk. */
  async function outbound(
    call: Call,
    caller: Leg,
    dest: {
      number: string;
      privacy: 'withhold' | 'present' | 'default';
      phoneNumberId: number | null;
    },
    agentId: number | null,
    ringback: 'indicate' | 'tone',
  ): Promise<void> {
    engine.describe(call, { direction: 'outbound', to: dest.number });
    const permitted = agentId === null ? [] : numbers.numbersOfAgent(agentId);
    const chosen =
      dest.phoneNumberId !== null
        ? permitted.find((n) => n.id === dest.phoneNumberId)
        : agentId === null
          ? undefined
          : numbers.callerIdOf(agentId);
    if (chosen !== undefined) {
      engine.describe(call, { ourNumber: chosen.number, phoneNumberId: chosen.id });
      // Over the number's channel limit: refused, and — like the carrier's own refusals — not written down.
      if (overLimit(chosen, call)) return engine.discard(call, caller, 'busy');
    }
    history.open(callStart(call, { agentId, calleeAgentId: null }));
    engine.publish(call, 'call_created');
    const out = trunkTarget(dest, chosen);
    if ('refused' in out) return refuseOrEnd(call, caller, out.refused);
    return ring(call, caller, [out.target], deps.settings.outboundRingSeconds, ringback);
  }

  /**
   * The carrier leg that calls `dest` with our number `chosen` — or why it may not: no number
   * to call out with (外線発信禁止), the restriction list, no trunk.
   */
  function trunkTarget(
    dest: { number: string; privacy: Privacy },
    chosen: PhoneNumberView | undefined,
  ): { target: Target } | { refused: EndReason } {
    if (chosen === undefined) return { refused: 'forbidden' };
    if (restrictions.match(dest.number, chosen.number) !== undefined)
      return { refused: 'restricted' };
    const trunk = trunks.outboundTrunk(chosen.trunkId);
    if (trunk === undefined) return { refused: 'failed' };
    return {
      target: {
        endpoint: `PJSIP/${dest.number}@${trunkEndpointId(trunk.name)}`,
        kind: 'trunk',
        terminal: null,
        agentId: null,
        callerId: { number: chosen.number, name: '' },
        withhold: dest.privacy === 'withhold',
      },
    };
  }

  /**
   * Where a transfer of `call` by the agent on `initiator` to `dialled` goes: phones to ring
   * (an agent's, a terminal, the carrier for a number outside with the agent's caller ID and
   * restrictions), a group to queue the customer in, or why it cannot.
   */
  function transferTarget(call: Call, initiator: Leg, dialled: string): TransferTarget {
    // The recipient's phone shows the customer, as a call of their own would.
    return ringTarget(farEnd(call), initiator, dialled);
  }

  /**
   * Where a call rung on behalf of an agent (`initiator`: their caller ID and restrictions) to
   * `dialled` goes, the phones showing `customer` as the caller: a transfer's recipient, a
   * party invited into a conference room.
   */
  function ringTarget(
    customer: { number: string; name: string },
    initiator: Pick<Leg, 'agentId' | 'terminal'>,
    dialled: string,
  ): TransferTarget {
    const destination = resolveDialled(dialled, lookup);
    switch (destination.kind) {
      case 'agent': {
        if (destination.agentId === initiator.agentId) return { kind: 'refused', reason: 'self' };
        const status = agentStatus.get(destination.agentId);
        if (!takesInternalCalls(status))
          return {
            kind: 'refused',
            reason:
              status.status === 'offline' || status.status === 'unknown' ? 'unregistered' : 'busy',
          };
        const targets = phoneTargets(destination.agentId, customer);
        return targets.length === 0
          ? { kind: 'refused', reason: 'unregistered' }
          : { kind: 'ring', targets, seconds: deps.settings.ringSeconds };
      }
      case 'terminal': {
        if (destination.sipUser === initiator.terminal) return { kind: 'refused', reason: 'self' };
        const terminal = terminals.bySipUser(destination.sipUser);
        if (terminal === undefined || !terminals.isRegistered(terminal.sipUser))
          return { kind: 'refused', reason: 'unregistered' };
        const target: Target = {
          endpoint: `PJSIP/${terminal.sipUser}`,
          kind: 'phone',
          terminal: terminal.sipUser,
          agentId: agentOnTerminal(terminal),
          callerId: customer,
        };
        return { kind: 'ring', targets: [target], seconds: deps.settings.ringSeconds };
      }
      case 'group':
        return { kind: 'group', groupId: destination.groupId };
      case 'outbound': {
        const agentId = initiator.agentId;
        const permitted = agentId === null ? [] : numbers.numbersOfAgent(agentId);
        const chosen =
          destination.phoneNumberId !== null
            ? permitted.find((n) => n.id === destination.phoneNumberId)
            : agentId === null
              ? undefined
              : numbers.callerIdOf(agentId);
        const out = trunkTarget(destination, chosen);
        if ('refused' in out) return { kind: 'refused', reason: out.refused };
        return {
          kind: 'ring',
          targets: [out.target],
          seconds: deps.settings.outboundRingSeconds,
        };
      }
      case 'external_transfer':
      case 'unknown':
        return { kind: 'refused', reason: 'unknown_number' };
    }
  }

  /** A call from the carrier to one of our numbers. */
  async function inbound(call: Call, caller: Leg): Promise<void> {
    const number = numbers.byNumber(call.to);
    if (number !== undefined) {
      engine.describe(call, { ourNumber: number.number, phoneNumberId: number.id });
      if (overLimit(number, call)) return engine.discard(call, caller, 'busy');
      engine.describe(call, {
        popup: {
          incomingUrl: popupUrl(number.incomingPopupUrl, call.from.number),
          answerUrl: popupUrl(number.answerPopupUrl, call.from.number),
          message: number.incomingMessage,
        },
      });
    }
    history.open(
      callStart(call, {
        agentId: number?.route?.type === 'agent' ? number.route.agentId : null,
        calleeAgentId: null,
      }),
    );
    engine.publish(call, 'call_created');
    if (blocked.isBlocked(call.from.number)) return engine.refuse(call, 'blocked');
    const route = number?.route ?? null;
    if (route === null) return engine.refuse(call, 'unknown_number');

    return deliver(call, caller, route, new Set());
  }

  /**
   * Sends an external caller to a destination: a DID's route, or where a group diverts a call
   * (overflow, timeout). `visited` holds the groups the call already left, against loops.
   */
  async function deliver(
    call: Call,
    caller: Leg,
    route: Route,
    visited: ReadonlySet<number>,
  ): Promise<void> {
    const callerId = { number: call.from.number, name: call.from.name };
    switch (route.type) {
      case 'agent': {
        history.assign(call.id, { agentId: route.agentId });
        const status = agentStatus.get(route.agentId);
        if (!takesExternalCalls(status)) {
          return engine.refuse(
            call,
            status.status === 'offline' || status.status === 'unknown' ? 'unregistered' : 'busy',
          );
        }
        return ring(
          call,
          caller,
          phoneTargets(route.agentId, callerId),
          deps.settings.ringSeconds,
          'indicate',
        );
      }
      case 'group':
        return deps.queues.enter(call, caller, route.groupId, visited);
      case 'extension': {
        const destination = resolveDialled(route.extension, lookup);
        if (destination.kind === 'group')
          return deps.queues.enter(call, caller, destination.groupId, visited);
        if (destination.kind === 'agent') {
          history.assign(call.id, { agentId: destination.agentId });
          if (!takesInternalCalls(agentStatus.get(destination.agentId)))
            return engine.refuse(call, 'busy');
          return ring(
            call,
            caller,
            phoneTargets(destination.agentId, callerId),
            deps.settings.ringSeconds,
            'indicate',
          );
        }
        if (destination.kind === 'terminal' && terminals.isRegistered(destination.sipUser)) {
          const terminal = terminals.bySipUser(destination.sipUser);
          const target: Target = {
            endpoint: `PJSIP/${destination.sipUser}`,
            kind: 'phone',
            terminal: destination.sipUser,
            agentId: terminal === undefined ? null : agentOnTerminal(terminal),
            callerId,
          };
          return ring(call, caller, [target], deps.settings.ringSeconds, 'indicate');
        }
        if (destination.kind === 'external_transfer')
          return forward(call, caller, destination.externalTransferId);
        return engine.refuse(
          call,
          destination.kind === 'terminal' ? 'unregistered' : 'unknown_number',
        );
      }
      case 'external_transfer':
        return forward(call, caller, route.externalTransferId);
      case 'ivr':
        return deps.ivrs.enter(call, caller, route.ivrId, visited);
      case 'audio':
        return deps.audio.play(call, caller, route.audioFileId);
      case 'voicemail':
        return deps.audio.voicemail(call, caller, route.audioFileId);
    }
  }

  /** Forwards a DID call to an external transfer target (外線転送) through the trunk. */
  async function forward(call: Call, caller: Leg, externalTransferId: number): Promise<void> {
    const transfer = externalTransfers.get(externalTransferId);
    const callerNumber = externalTransfers.callerIdFor(transfer, call.to) ?? call.from.number;
    const trunk = trunks.outboundTrunk(
      call.phoneNumberId === null ? null : numbers.get(call.phoneNumberId).trunkId,
    );
    if (trunk === undefined) return engine.refuse(call, 'failed');
    const target: Target = {
      endpoint: `PJSIP/${transfer.number}@${trunkEndpointId(trunk.name)}`,
      kind: 'trunk',
      terminal: null,
      agentId: null,
      callerId: { number: callerNumber, name: '' },
    };
    return ring(call, caller, [target], deps.settings.outboundRingSeconds, 'indicate');
  }

  /** Numbers a feature answers before the numbering plan (park slots, later conference rooms). */
  const claims: { matches(dialled: string): boolean; handle: DialledHandler }[] = [];

  engine.onIncoming(async (call, caller, args) => {
    if (args[0] === 'inbound') return inbound(call, caller);
    const dialled = args[1] ?? '';
    const claim = claims.find((c) => c.matches(dialled));
    if (claim !== undefined) return claim.handle(call, caller, dialled);
    const destination = resolveDialled(dialled, lookup);
    const me = agentIdentity(caller.agentId);
    if (me.number !== '') engine.describe(call, { from: me });
    return fromAgent(call, caller, destination, 'indicate');
  });

  return {
    deliver,
    transferTarget,
    ringTarget,
    /** How an agent shows on a phone: their extension and nickname. */
    agentIdentity,
    /** Refuses a call our phone made: the announcement for `reason`, then its SIP response. */
    announceAndRefuse,
    /** The agent whose extension this is, if any. */
    agentByExtension: lookup.agentByExtension,
    /** A feature takes the calls our phones make to the numbers it matches (e.g. park slots). */
    claimDialled(matches: (dialled: string) => boolean, handle: DialledHandler): void {
      claims.push({ matches, handle });
    },
    /** Click-to-call (§6-1 コールバック): the agent's phones ring first, then the destination. */
    clickToCall(agentId: number, dialled: string): Call {
      if (!terminals.agentReachable(agentId))
        throw conflict('agent_unreachable', 'None of the agent’s terminals is registered');
      const destination = resolveDialled(dialled, lookup);
      if (destination.kind === 'unknown')
        throw unprocessable('unknown_number', `${dialled} is not a number that can be called`);
      const me = agentIdentity(agentId);
      const call = engine.newCall({
        direction:
          destination.kind === 'agent' || destination.kind === 'terminal' ? 'internal' : 'outbound',
        from: me,
        to: dialled,
      });
      void (async () => {
        try {
          // The agent's phones show whom they are about to call.
          const result = await engine.fork(
            call,
            phoneTargets(agentId, { number: dialled, name: 'Click to call' }),
            deps.settings.ringSeconds,
            null,
          );
          if (!('answered' in result)) {
            history.open(callStart(call, { agentId, calleeAgentId: null }));
            engine.finish(call, result.failed, null);
            return;
          }
          engine.makeCaller(call, result.answered);
          await fromAgent(call, result.answered, destination, 'tone');
        } catch (err) {
          log.error({ err, callId: call.id }, 'click-to-call failed');
          if (call.state !== 'ended') {
            if (history.byCallId(call.id) === undefined)
              history.open(callStart(call, { agentId, calleeAgentId: null }));
            engine.finish(call, 'failed', null);
          }
        }
      })();
      return call;
    },
    callsOn,
    /**
     * The carrier leg that calls a campaign's customer with our number `phoneNumberId` (184:
     * withheld) — or why it may not: the number's channel limit (最大チャンネル) is reached, the
     * destination is on the outbound-restriction list, no trunk.
     */
    campaignTarget(
      number: string,
      phoneNumberId: number,
      withhold: boolean,
    ): { target: Target } | { refused: EndReason | 'channel_limit' } {
      const chosen = numbers.get(phoneNumberId);
      if (chosen.maxChannels > 0 && callsOn(chosen.id) >= chosen.maxChannels)
        return { refused: 'channel_limit' };
      return trunkTarget({ number, privacy: withhold ? 'withhold' : 'default' }, chosen);
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;
