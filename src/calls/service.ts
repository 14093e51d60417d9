/**
 * Call control for the API: live calls as a principal may see them, click-to-call, hang-up,
 * hold, resume and DTMF. An agent controls their own calls; controlling anyone's needs
 * `calls.control` (supervisors, integrations), calling on someone's behalf `calls.originate`.
 * A call not in a state that allows the action is a 409.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Principal } from '../platform/http/auth.js';
import { conflict, forbidden, notFound } from '../platform/http/errors.js';
import type { CallEngine } from './engine.js';
import { agentsOf, liveLegs, type Call, type Leg, type LegRole } from './model.js';
import type { CallView } from './notifier.js';
import type { Routing } from './routing.js';
import type { TransferWire } from '../transfers/notifier.js';
import type { Transfers } from '../transfers/service.js';
import type { TransferMode } from '../transfers/state.js';

export interface CallsService {
  list(principal: Principal): Call[];
  /** A call as the principal sees it: with the CRM customers of the far end they may see. */
  viewOf(call: Call, principal: Principal): CallView;
  get(callId: string, principal: Principal): Call;
  originate(principal: Principal, to: string, agentId?: number): Call;
  hangup(callId: string, principal: Principal): void;
  hold(callId: string, principal: Principal): Promise<Call>;
  /**
   * The connected call and the agent leg an action (park) is taken for: the principal's own leg,
   * else the call's agent. 404 / 403 / 409 as for hold.
   */
  agentLegFor(callId: string, principal: Principal): { call: Call; leg: Leg };
  unhold(callId: string, principal: Principal): Promise<Call>;
  dtmf(callId: string, digits: string, principal: Principal, to?: LegRole): Promise<void>;
  /** Transfers the call for its agent (the principal's own leg, else the call's agent). */
  transfer(callId: string, principal: Principal, to: string, mode: TransferMode): TransferWire;
  transferStatus(transferId: string, principal: Principal): TransferWire;
  completeTransfer(transferId: string, principal: Principal): TransferWire;
  cancelTransfer(transferId: string, principal: Principal): TransferWire;
}

export function createCallsService(
  engine: CallEngine,
  routing: Routing,
  ari: AriPort,
  transfers: Transfers,
): CallsService {
  const mayControl = (call: Call, p: Principal) =>
    p.permissions.has('calls.control') || (p.kind === 'agent' && agentsOf(call).includes(p.id));

  function find(callId: string, principal: Principal): Call {
    const call = engine.get(callId);
    if (call === undefined || !engine.visibleTo(call)(principal)) throw notFound('Call');
    return call;
  }

  function controllable(callId: string, principal: Principal): Call {
    const call = find(callId, principal);
    if (!mayControl(call, principal))
      throw forbidden('permission_denied', 'This is not your call', { required: 'calls.control' });
    return call;
  }

  /** The agent leg a hold acts for: the principal's own, else the call's agent. */
  function holdingLeg(call: Call, principal: Principal): Leg {
    const legs = liveLegs(call).filter((l) => l.agentId !== null);
    const leg =
      legs.find((l) => principal.kind === 'agent' && l.agentId === principal.id) ?? legs[0];
    if (leg === undefined) throw conflict('no_agent_leg', 'No agent takes part in this call');
    return leg;
  }

  function mustBeUp(call: Call): void {
    if (call.state !== 'up')
      throw conflict('call_not_up', `The call is ${call.state}, not connected`);
  }

  /** The transfer, if the principal may act on its call (404 otherwise, as for the call). */
  function transferOf(transferId: string, principal: Principal): string {
    const call = transfers.callOf(transferId);
    if (!engine.visibleTo(call)(principal)) throw notFound('Transfer');
    if (!mayControl(call, principal))
      throw forbidden('permission_denied', 'This is not your call', { required: 'calls.control' });
    return transferId;
  }

  return {
    transfer(callId, principal, to, mode) {
      const call = controllable(callId, principal);
      mustBeUp(call);
      return transfers.start(call, holdingLeg(call, principal), to, mode);
    },
    transferStatus: (id, principal) => transfers.get(transferOf(id, principal)),
    completeTransfer: (id, principal) => transfers.complete(transferOf(id, principal)),
    cancelTransfer: (id, principal) => transfers.cancel(transferOf(id, principal)),
    list: (principal) =>
      engine.list().filter((c) => c.state !== 'ended' && engine.visibleTo(c)(principal)),
    get: find,
    viewOf: (call, principal) => engine.viewOf(call, principal),
    originate(principal, to, agentId) {
      const who = agentId ?? (principal.kind === 'agent' ? principal.id : undefined);
      if (who === undefined)
        throw forbidden('agent_required', 'Say which agent places the call (agentId)');
      if (
        who !== (principal.kind === 'agent' ? principal.id : -1) &&
        !principal.permissions.has('calls.originate')
      ) {
        throw forbidden('permission_denied', 'Calling on behalf of another agent', {
          required: 'calls.originate',
        });
      }
      return routing.clickToCall(who, to);
    },
    hangup(callId, principal) {
      const call = controllable(callId, principal);
      engine.finish(call, call.state === 'up' ? 'completed' : 'cancelled', null);
    },
    agentLegFor(callId, principal) {
      const call = controllable(callId, principal);
      mustBeUp(call);
      return { call, leg: holdingLeg(call, principal) };
    },
    async hold(callId, principal) {
      const call = controllable(callId, principal);
      mustBeUp(call);
      const leg = holdingLeg(call, principal);
      if (leg.held) throw conflict('already_held', 'The call is already on hold');
      await engine.setHeld(call, leg, true);
      return call;
    },
    async unhold(callId, principal) {
      const call = controllable(callId, principal);
      mustBeUp(call);
      const leg = liveLegs(call).find((l) => l.held);
      if (leg === undefined) throw conflict('not_held', 'The call is not on hold');
      await engine.setHeld(call, leg, false);
      return call;
    },
    async dtmf(callId, digits, principal, to) {
      const call = controllable(callId, principal);
      mustBeUp(call);
      // By default the digits go to the party that is not the agent: the far end of the call.
      const role: LegRole = to ?? (call.direction === 'inbound' ? 'caller' : 'callee');
      const legs = liveLegs(call).filter((l) => l.role === role);
      if (legs.length === 0) throw conflict('no_such_party', `The call has no ${role} any more`);
      for (const leg of legs) await ari.channels.sendDtmf(leg.channelId, digits);
    },
  };
}
