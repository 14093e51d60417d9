/**
 * The browser phone (ブラウザフォン, §5-1): which terminal an agent's browser registers as, and
 * the credential it registers with.
 *
 * The browser never sees the terminal's SIP secret. Switching the phone on issues a fresh random
 * password, which the terminals service makes Asterisk accept for the terminal instead of its
 * secret (memory only: never stored, never logged). It lasts as long as the session that asked for
 * it holds `phone.browser_phone`: logout, a forced logout, a lock, a role change taking the
 * permission away, or the token's expiry withdraw it (session-lease.ts), as do switching off, a
 * newer one for the same terminal, the terminal changing agent or ceasing to be WebRTC, and a
 * server restart. Withdrawn, Asterisk accepts only the terminal's own secret again.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserPhoneSettings, IceServer } from '../config.js';
import type { ProvisioningState } from '../platform/asterisk/provisioning.js';
import type { Clock } from '../platform/clock.js';
import type { AgentPrincipal, TokenResolver } from '../platform/http/auth.js';
import { HttpError } from '../platform/http/errors.js';
import type { SessionWatch } from '../platform/http/session-watch.js';
import type { Logger } from '../platform/logger.js';
import type { TerminalRow } from '../terminals/schema.js';
import type { TerminalsService } from '../terminals/service.js';
import { leaseSession, type SessionLease } from './session-lease.js';

export const BROWSER_PHONE_PERMISSION = 'phone.browser_phone';
/** The SIP domain of the browser phone's URI; Asterisk finds the endpoint by its user part. */
export const SIP_DOMAIN = 'callcenter.invalid';

export interface BrowserPhoneCredential {
  terminal: TerminalRow;
  sipUri: string;
  password: string;
  provisioning: ProvisioningState;
}

export interface BrowserPhoneService {
  /** The agent's WebRTC terminal (their first by id), if they have one. */
  terminalOf(agentId: number): TerminalRow | undefined;
  /** STUN / TURN servers for the browser. */
  iceServers(): IceServer[];
  /** Whether a credential issued to this session is in force now. */
  active(principal: AgentPrincipal): boolean;
  /** Issues a fresh credential for the agent's WebRTC terminal, tied to `token`'s session. */
  issue(principal: AgentPrincipal, token: string): Promise<BrowserPhoneCredential>;
  /** Withdraws the credential of the agent's WebRTC terminal (switching the phone off). */
  withdraw(principal: AgentPrincipal): Promise<void>;
}

export interface BrowserPhoneDeps {
  terminals: TerminalsService;
  resolveToken: TokenResolver;
  sessions: SessionWatch;
  clock: Clock;
  settings: BrowserPhoneSettings;
  log: Logger;
}

interface Issued {
  password: string;
  tokenId: number;
  lease: SessionLease;
}

export const noWebrtcTerminal = () =>
  new HttpError(
    404,
    'no_webrtc_terminal',
    'You have no WebRTC terminal: an administrator links one to you (端末, WebRTC)',
  );

export function createBrowserPhone(deps: BrowserPhoneDeps): BrowserPhoneService {
  const { terminals, log } = deps;
  /** Credentials in force, by terminal id. */
  const issued = new Map<number, Issued>();

  const terminalOf = (agentId: number): TerminalRow | undefined =>
    terminals
      .ofAgent(agentId)
      .filter((t) => t.webrtc)
      .sort((a, b) => a.id - b.id)[0];

  function end(terminalId: number, record: Issued): void {
    if (issued.get(terminalId) !== record) return;
    issued.delete(terminalId);
    record.lease.release();
    terminals
      .withdrawTemporaryPassword(terminalId, record.password)
      .catch((err: unknown) =>
        log.error({ err, terminalId }, 'browser phone credential withdrawal failed'),
      );
  }

  return {
    terminalOf,
    iceServers: () => deps.settings.iceServers,

    active(principal) {
      const terminal = terminalOf(principal.id);
      return terminal !== undefined && issued.get(terminal.id)?.tokenId === principal.tokenId;
    },

    async issue(principal, token) {
      const terminal = terminalOf(principal.id);
      if (terminal === undefined) throw noWebrtcTerminal();
      const password = randomBytes(24).toString('base64url');
      const provisioning = await terminals.useTemporaryPassword(terminal.id, password);
      // The one it replaces (another tab, an earlier ON) ends here: its password is gone already.
      const previous = issued.get(terminal.id);
      if (previous !== undefined) {
        issued.delete(terminal.id);
        previous.lease.release();
      }
      const record: Issued = {
        password,
        tokenId: principal.tokenId,
        lease: leaseSession({
          token,
          principal,
          permission: BROWSER_PHONE_PERMISSION,
          resolveToken: deps.resolveToken,
          sessions: deps.sessions,
          clock: deps.clock,
          onEnded: () => end(terminal.id, record),
        }),
      };
      issued.set(terminal.id, record);
      log.info(
        { terminal: terminal.sipUser, agentId: principal.id },
        'browser phone credential issued',
      );
      return {
        terminal,
        sipUri: `sip:${terminal.sipUser}@${SIP_DOMAIN}`,
        password,
        provisioning,
      };
    },

    async withdraw(principal) {
      const terminal = terminalOf(principal.id);
      if (terminal === undefined) return;
      const record = issued.get(terminal.id);
      if (record === undefined) return;
      issued.delete(terminal.id);
      record.lease.release();
      await terminals.withdrawTemporaryPassword(terminal.id, record.password);
      log.info(
        { terminal: terminal.sipUser, agentId: principal.id },
        'browser phone credential withdrawn',
      );
    },
  };
}
