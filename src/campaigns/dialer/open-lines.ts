/**
 * ログイン mode (§10-8 エージェントモード): an agent takes part by dialling 990 and staying on the
 * line. Their phone's call is answered into a bridge of its own — the open line — and stays
 * there; the dialer connects each answered customer into it with no ringing, a tone telling the
 * agent someone is there. Between customers the line is idle (the dialer's to use); after one it
 * is in wrap-up (the DTMF result, then the campaign's ACW time). The agent leaves by hanging up;
 * a customer still on the line then is hung up too.
 *
 * The line's own call is no conversation: it is not written to the call history and not
 * recorded. Each customer is a call of their own, recorded and written down with the agent.
 */
import type { CallEngine } from '../../calls/engine.js';
import type { Call, Leg } from '../../calls/model.js';
import type { EndReason } from '../../calls/outcomes.js';
import type { AriPort } from '../../platform/asterisk/ari.js';
import type { Clock, Timer } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';

/** The number an agent dials to open their line (the manual's 990). */
export const LOGIN_CODE = '990';
/** What the agent hears as a customer is put through. */
const CUSTOMER_TONE = 'sound:beep';

export type LineState = 'idle' | 'customer' | 'wrap_up';

export interface OpenLine {
  readonly agentId: number;
  /** The agent's own call to 990, and its one leg. */
  readonly call: Call;
  readonly leg: Leg;
  readonly bridgeId: string;
  readonly state: LineState;
  /** Since when it is in its state (the longest idle line takes the next customer). */
  readonly since: Date;
  /** The customer's call on the line, in state `customer`. */
  readonly customerCall: Call | null;
}

/** A line opened, changed state or closed (`closed`): for the feed and the dialer. */
export interface LineChange {
  agentId: number;
  state: LineState | 'closed';
  callId: string | null;
}

export interface OpenLinesDeps {
  engine: CallEngine;
  /** The lines' bridges: the engine's calls do not own them (a customer leaving keeps them). */
  bridges: Pick<AriPort['bridges'], 'create' | 'destroy'>;
  clock: Clock;
  log: Logger;
  /** Whether the agent is a member of a campaign in ログイン mode (else 990 is refused). */
  takesLoginCalls(agentId: number): boolean;
  /** Refuses the phone's call with the announcement for `reason`. */
  refuse(call: Call, caller: Leg, reason: EndReason): Promise<void>;
  changed(change: LineChange): void;
}

export interface OpenLines {
  isCode(dialled: string): boolean;
  /** The agent dialled 990: their line opens (or the call is refused). */
  open(call: Call, caller: Leg): Promise<void>;
  of(agentId: number): OpenLine | undefined;
  /** The idle lines of these agents, longest idle first. */
  idle(agentIds: readonly number[]): number[];
  /** Agents of these who are on a line, whatever its state. */
  onLine(agentIds: readonly number[]): number[];
  /**
   * Puts an answered customer through to the agent's idle line: the tone, then the customer in
   * the line's bridge. False when the line is not idle (another customer took it, it closed).
   */
  putThrough(agentId: number, call: Call, customer: Leg): Promise<boolean>;
  /** The line's customer is gone: wrap-up (the result entry) until `rest`. */
  wrapUp(agentId: number): void;
  /** Wrap-up over: idle after `seconds` more (the campaign's ACW時間). */
  rest(agentId: number, seconds: number): void;
}

interface LineRecord {
  agentId: number;
  call: Call;
  leg: Leg;
  bridgeId: string;
  state: LineState;
  since: Date;
  customerCall: Call | null;
  resting: Timer | null;
}

export function createOpenLines(deps: OpenLinesDeps): OpenLines {
  const { engine, clock, log } = deps;
  const lines = new Map<number, LineRecord>();

  function set(line: LineRecord, state: LineState, customerCall: Call | null = null): void {
    line.state = state;
    line.since = clock.now();
    line.customerCall = customerCall;
    deps.changed({ agentId: line.agentId, state, callId: customerCall?.id ?? null });
  }

  function close(line: LineRecord): void {
    if (lines.get(line.agentId) !== line) return;
    lines.delete(line.agentId);
    if (line.resting !== null) clock.clearTimeout(line.resting);
    // A customer left alone on the line is hung up with it.
    if (line.customerCall !== null && line.customerCall.state !== 'ended')
      engine.finish(line.customerCall, 'completed');
    void deps.bridges.destroy(line.bridgeId).catch(() => undefined);
    log.info({ agentId: line.agentId }, 'campaign line closed');
    deps.changed({ agentId: line.agentId, state: 'closed', callId: null });
  }

  engine.onEnded((call) => {
    for (const line of lines.values()) {
      if (line.call.id === call.id) close(line);
      else if (line.customerCall?.id === call.id && line.state === 'customer') wrapUp(line);
    }
  });

  function wrapUp(line: LineRecord): void {
    if (line.state === 'customer') set(line, 'wrap_up');
  }

  return {
    isCode: (dialled) => dialled === LOGIN_CODE,

    async open(call, caller) {
      const agentId = caller.agentId;
      if (agentId === null || !deps.takesLoginCalls(agentId))
        return deps.refuse(call, caller, 'forbidden');
      if (lines.has(agentId)) return deps.refuse(call, caller, 'busy');
      engine.describe(call, { recorded: false });
      const bridgeId = `campaign-line-${agentId}`;
      // DTMF events: the agent keys the result on the line once the customer left.
      await deps.bridges.create({ type: 'mixing,dtmf_events', bridgeId, name: bridgeId });
      const line: LineRecord = {
        agentId,
        call,
        leg: caller,
        bridgeId,
        state: 'idle',
        since: clock.now(),
        customerCall: null,
        resting: null,
      };
      lines.set(agentId, line);
      try {
        await engine.enter(call, caller, bridgeId);
      } catch (err) {
        log.info({ err, agentId }, 'campaign line not opened');
        close(line);
        if (call.state !== 'ended') engine.finish(call, 'failed');
        return;
      }
      if (call.state === 'ended') return close(line);
      log.info({ agentId, callId: call.id }, 'campaign line open');
      deps.changed({ agentId, state: 'idle', callId: null });
    },

    of: (agentId) => lines.get(agentId),

    idle: (agentIds) =>
      agentIds
        .flatMap((agentId) => {
          const line = lines.get(agentId);
          return line?.state === 'idle' ? [line] : [];
        })
        .sort((a, b) => a.since.getTime() - b.since.getTime() || a.agentId - b.agentId)
        .map((line) => line.agentId),

    onLine: (agentIds) => agentIds.filter((agentId) => lines.has(agentId)),

    async putThrough(agentId, call, customer) {
      const line = lines.get(agentId);
      if (line?.state !== 'idle') return false;
      // Taken at once: a second customer answered in the same instant finds it busy.
      set(line, 'customer', call);
      void engine
        .playToEnd(line.leg.channelId, CUSTOMER_TONE, `${line.leg.channelId}-customer-${call.id}`)
        .catch(() => undefined);
      try {
        await engine.enter(call, customer, line.bridgeId);
      } catch (err) {
        if (lines.get(agentId) === line && line.customerCall === call) set(line, 'idle');
        throw err;
      }
      if (lines.get(agentId) !== line) return false;
      return true;
    },

    wrapUp(agentId) {
      const line = lines.get(agentId);
      if (line !== undefined) wrapUp(line);
    },

    rest(agentId, seconds) {
      const line = lines.get(agentId);
      if (line === undefined || line.state === 'idle') return;
      if (line.state === 'customer') set(line, 'wrap_up');
      if (line.resting !== null) clock.clearTimeout(line.resting);
      const free = () => {
        line.resting = null;
        if (lines.get(agentId) === line && line.state === 'wrap_up') set(line, 'idle');
      };
      if (seconds <= 0) return free();
      line.resting = clock.setTimeout(free, seconds * 1000);
    },
  };
}
