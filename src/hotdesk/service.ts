/**
 * Hot-desk (フリーデスク, spec §11-4, §13): an agent sits down at any phone of ours, dials `998` +
 * their extension and keys their PIN; from then on the phone is theirs — calls to them ring it,
 * calls from it are theirs, and their presence follows its registration as for a linked phone —
 * until `997` from it, a login of the same agent on another phone (which releases the first), a
 * login of another agent on it, or an administrator's DELETE /terminals/{id}/hot-desk. The login
 * is stored on the terminal (it survives a restart of the server).
 *
 * The call: a refusal before the PIN (an extension no agent has, an agent without a PIN, a phone
 * we do not know, 997 with no one logged in) is announced as early media and refused with a SIP
 * error, like a number that cannot be dialled; otherwise the phone is answered, the PIN prompted
 * and read (calls/digit-reader.ts), checked by accounts/hot-desk-auth.ts (which writes wrong PINs
 * to the authentication log and counts them towards the lock), and the outcome announced before
 * the phone is hung up. The call is not written to the call history: it is no conversation.
 */
import type { HotDeskAuth } from '../accounts/hot-desk-auth.js';
import type { AgentStatusService } from '../agents/status-service.js';
import { createDigitReaders } from '../calls/digit-reader.js';
import type { CallEngine } from '../calls/engine.js';
import type { Call, Leg } from '../calls/model.js';
import type { ExtensionRegistry } from '../dialplan/extensions.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock } from '../platform/clock.js';
import { notFound } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { TerminalRow } from '../terminals/schema.js';
import type { TerminalsService } from '../terminals/service.js';
import {
  FIRST_TRY,
  PIN_ATTEMPTS,
  PIN_RULES,
  PROMPTS,
  REFUSALS,
  afterPin,
  hotDeskRequest,
  type PinOutcome,
  type Refusal,
} from './codes.js';
import type { PromptLanguage, PromptName } from '../prompts/catalogue.js';
import { createHotDeskNotifier, type HotDeskLogoutHow } from './notifier.js';

export interface HotDeskDeps {
  ari: AriPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  engine: CallEngine;
  terminals: TerminalsService;
  extensions: ExtensionRegistry;
  auth: HotDeskAuth;
  agentStatus: Pick<AgentStatusService, 'refresh'>;
  /** A system prompt's media in a language (prompts/service.ts). */
  prompt: (name: PromptName, language: PromptLanguage) => string[];
  /** The language of an agent's prompts. */
  languageOf: (agentId: number) => PromptLanguage;
}

export function createHotDesk(deps: HotDeskDeps) {
  const { clock, log, engine, terminals, extensions, auth, agentStatus } = deps;
  const notifier = createHotDeskNotifier(deps.hub);
  const readers = createDigitReaders({ ari: deps.ari, clock, engine });
  let sequence = 0;

  const up = (call: Call, leg: Leg) => call.state !== 'ended' && leg.state === 'up';

  /**
   * Plays a prompt to the caller, to its end (or the caller's hang-up): in the agent's language
   * once the agent is known, else in Japanese.
   */
  async function say(
    caller: Leg,
    prompt: PromptName,
    agentId: number | null = null,
  ): Promise<void> {
    const language: PromptLanguage = agentId === null ? 'ja' : deps.languageOf(agentId);
    for (const item of deps.prompt(prompt, language)) {
      sequence += 1;
      await engine
        .playToEnd(caller.channelId, item, `${caller.channelId}-hotdesk-${sequence}`)
        .catch((err: unknown) => log.debug({ err }, 'hot-desk announcement not played'));
    }
  }

  /** A refusal before the PIN: announced as early media, then the SIP error. */
  async function refuse(call: Call, caller: Leg, refusal: Refusal): Promise<void> {
    const { prompt, reason } = REFUSALS[refusal];
    log.info({ callId: call.id, terminal: caller.terminal, refusal }, 'hot-desk refused');
    await say(caller, prompt);
    engine.refuse(call, reason);
  }

  function refreshAll(agentIds: (number | null)[]): void {
    for (const agentId of new Set(agentIds)) if (agentId !== null) agentStatus.refresh(agentId);
  }

  function announceLogout(terminal: TerminalRow, agentId: number, how: HotDeskLogoutHow): void {
    notifier.publish('hot_desk_logout', {
      terminalId: terminal.id,
      sipUser: terminal.sipUser,
      agentId,
      how,
      at: clock.now().toISOString(),
    });
  }

  /** The agent is on `terminal` from now on. */
  function logIn(terminal: TerminalRow, agentId: number): void {
    const { released, replacedAgentId } = terminals.hotDeskLogin(terminal.id, agentId);
    if (released !== undefined) {
      auth.loggedOut(agentId, released.sipUser, 'logged in elsewhere');
      announceLogout(released, agentId, 'elsewhere');
    }
    if (replacedAgentId !== null) {
      auth.loggedOut(replacedAgentId, terminal.sipUser, 'another agent logged in');
      announceLogout(terminal, replacedAgentId, 'replaced');
    }
    auth.loggedIn(agentId, terminal.sipUser);
    log.info({ terminal: terminal.sipUser, agentId }, 'hot-desk login');
    notifier.publish('hot_desk_login', {
      terminalId: terminal.id,
      sipUser: terminal.sipUser,
      agentId,
      at: clock.now().toISOString(),
    });
    // The phone's linked agent loses it for now; a released phone goes back to its own.
    refreshAll([agentId, replacedAgentId, terminal.agentId, released?.agentId ?? null]);
  }

  /** Ends the hot-desk login on a phone; the agent who was on it, or null. */
  function logOut(terminalId: number, how: HotDeskLogoutHow, actor?: string): number | null {
    const before = terminals.hotDeskLogout(terminalId);
    if (before === undefined || before.hotDeskAgentId === null) return null;
    const agentId = before.hotDeskAgentId;
    auth.loggedOut(
      agentId,
      before.sipUser,
      how === 'admin' ? 'ended by an administrator' : '997',
      actor,
    );
    log.info({ terminal: before.sipUser, agentId, how }, 'hot-desk logout');
    announceLogout(before, agentId, how);
    refreshAll([agentId, before.agentId]);
    return agentId;
  }

  /** Prompts for the PIN until it is right or the tries are used up. */
  async function askPin(call: Call, caller: Leg, terminal: TerminalRow, agentId: number) {
    const reader = readers.open(call, caller);
    try {
      let tries = FIRST_TRY;
      let prompt: PromptName = PROMPTS.enterPin;
      const language = deps.languageOf(agentId);
      for (;;) {
        // Several sounds are one playback as a media list (Asterisk splits it at the commas).
        const input = await reader.read(PIN_RULES, deps.prompt(prompt, language).join(','));
        if (input.end === 'hangup' || !up(call, caller)) return;
        const outcome: PinOutcome =
          input.digits === ''
            ? 'none'
            : await auth.checkPin(agentId, input.digits, {
                terminal: terminal.sipUser,
                attempt: tries.attempt,
                attempts: PIN_ATTEMPTS,
              });
        if (!up(call, caller)) return;
        const step = afterPin(tries, outcome);
        if (step.next === 'login') {
          logIn(terminal, agentId);
          await say(caller, PROMPTS.loggedIn, agentId);
          return;
        }
        if (step.next === 'refuse') {
          log.info({ callId: call.id, terminal: terminal.sipUser, agentId }, 'hot-desk refused');
          await say(caller, REFUSALS[step.refusal].prompt, agentId);
          return;
        }
        tries = step.tries;
        prompt = step.prompt;
      }
    } finally {
      reader.close();
    }
  }

  /** A phone of ours dialled 998 + extension or 997. */
  async function handle(call: Call, caller: Leg, dialled: string): Promise<void> {
    const request = hotDeskRequest(dialled);
    const terminal =
      caller.kind === 'phone' && caller.terminal !== null
        ? terminals.bySipUser(caller.terminal)
        : undefined;
    if (request === null) return engine.refuse(call, 'unknown_number');
    if (terminal === undefined) return refuse(call, caller, 'not_our_phone');
    if (request.kind === 'logout') {
      const agentId = logOut(terminal.id, 'logout');
      if (agentId === null) return refuse(call, caller, 'not_logged_in');
      await engine.answer(call, caller);
      if (up(call, caller)) await say(caller, PROMPTS.loggedOut, agentId);
      return engine.finish(call, 'completed');
    }
    const owner = request.extension === '' ? undefined : extensions.owner(request.extension);
    if (owner?.kind !== 'agent') return refuse(call, caller, 'unknown_extension');
    if (!auth.hasPin(owner.id)) return refuse(call, caller, 'no_pin');
    await engine.answer(call, caller);
    if (up(call, caller)) await askPin(call, caller, terminal, owner.id);
    engine.finish(call, 'completed');
  }

  return {
    /** The numbers hot-desk takes (routing.claimDialled): 997, and 998 + anything no one owns. */
    claims: (dialled: string): boolean =>
      hotDeskRequest(dialled) !== null && extensions.owner(dialled) === undefined,
    handle,
    /** DELETE /terminals/{id}/hot-desk: an administrator ends the login on a phone. */
    endOn(terminalId: number, actor: string): void {
      terminals.get(terminalId);
      if (logOut(terminalId, 'admin', actor) === null) throw notFound('Hot-desk login');
    },
  };
}

export type HotDesk = ReturnType<typeof createHotDesk>;
