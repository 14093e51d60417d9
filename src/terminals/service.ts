/**
 * Terminals: CRUD, their provisioning into Asterisk, and whether they are registered.
 *
 * - Each create/update/delete is pushed to Asterisk at once; every ARI (re)connect re-pushes all
 *   terminals (the provisioner's resync).
 * - Registration comes from ARI ContactStatusChange, with AMI ContactStatus as a second source
 *   and AMI PJSIPShowContacts as the snapshot after a connect. When Asterisk is unreachable the
 *   book is emptied: nothing is known to be registered.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import { amiField, type AmiPort } from '../platform/asterisk/ami.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Provisioner, ProvisioningState } from '../platform/asterisk/provisioning.js';
import { handsTransfersToApplication } from '../platform/asterisk/transfer-handling.js';
import type { BrowserPhoneSettings, SipEndpointSettings } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { SecretBox } from '../platform/secrets.js';
import { terminalObjects, type TerminalIdentity } from './pjsip.js';
import { RegistrationBook, type ContactView } from './registrations.js';
import { agentOnTerminal, terminals, type TerminalRow } from './schema.js';

export interface TerminalInput {
  sipUser?: string | undefined;
  name: string;
  secret?: string | undefined;
  agentId?: number | null | undefined;
  codecs?: string[] | undefined;
  dtmfMode?: TerminalRow['dtmfMode'] | undefined;
  behindNat?: boolean | undefined;
  maxContacts?: number | undefined;
  webrtc?: boolean | undefined;
}

export type TerminalPatch = Partial<Omit<TerminalInput, 'sipUser'>> & {
  regenerateSecret?: boolean | undefined;
};

export interface TerminalView extends TerminalRow {
  registered: boolean;
  contacts: ContactView[];
  /** Where the phone's objects stand in Asterisk. */
  provisioning: ProvisioningState;
}

export interface TerminalFilter extends PageQuery {
  sipUser?: string | undefined;
  name?: string | undefined;
  agentId?: number | undefined;
  hotDeskAgentId?: number | undefined;
}

/** What a hot-desk login changed besides the phone it was made on. */
export interface HotDeskBinding {
  terminal: TerminalRow;
  /** The agent's previous hot-desk phone, now released (as it was before). */
  released: TerminalRow | undefined;
  /** The agent who was hot-desked on this phone before, now logged off it. */
  replacedAgentId: number | null;
}

export interface RegistrationChange {
  terminal: TerminalRow;
  registered: boolean;
}

export interface TerminalsService {
  list(filter: TerminalFilter): Page<TerminalView>;
  get(id: number): TerminalView;
  bySipUser(sipUser: string): TerminalRow | undefined;
  /** Whose phone it is: of `bySipUser`, only what every call's channel is asked. */
  seatOf(sipUser: string): Pick<TerminalRow, 'sipUser' | 'agentId' | 'hotDeskAgentId'> | undefined;
  /** The terminals linked to the agent (自分の端末). */
  ofAgent(agentId: number): TerminalRow[];
  /**
   * The SIP user names of the agent's phones that are registered now: those linked to them and
   * not taken by someone else's hot-desk login, and the one they are hot-desked on.
   */
  registeredNamesOfAgent(agentId: number): string[];
  /** Whether any of those is registered (asked on every change of the agent's status). */
  agentReachable(agentId: number): boolean;
  /** The phone the agent is logged in on by hot-desk, if any. */
  hotDeskOf(agentId: number): TerminalRow | undefined;
  /** The agent is on this phone from now on (hot-desk); their previous hot-desk phone is released. */
  hotDeskLogin(terminalId: number, agentId: number): HotDeskBinding;
  /** Ends the hot-desk login on this phone; returns the phone as it was, or undefined if none. */
  hotDeskLogout(terminalId: number): TerminalRow | undefined;
  isRegistered(sipUser: string): boolean;
  /** Returns the generated secret when none was given (shown to the client once). */
  create(input: TerminalInput, actor: string): Promise<{ terminal: TerminalView; secret: string }>;
  update(
    id: number,
    patch: TerminalPatch,
    actor: string,
  ): Promise<{ terminal: TerminalView; secret?: string }>;
  remove(id: number): Promise<void>;
  /**
   * Makes Asterisk take `password` for the terminal instead of its secret (the browser phone's
   * credential, held in memory only: never stored, logged or returned by the terminal's API),
   * until it is withdrawn, replaced, the terminal changes agent or stops being WebRTC, or the
   * server restarts.
   */
  useTemporaryPassword(terminalId: number, password: string): Promise<ProvisioningState>;
  /** Withdraws the temporary password, if it still is `password`: the secret holds again. */
  withdrawTemporaryPassword(terminalId: number, password: string): Promise<void>;
  onRegistrationChange(listener: (change: RegistrationChange) => void): () => void;
}

export interface TerminalsDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  provisioner: Provisioner;
  ari: AriPort;
  ami: AmiPort;
  hub: Hub;
  sip: SipEndpointSettings;
  /** The browser phones' DTLS certificate (undefined: Asterisk makes one per call). */
  dtls: BrowserPhoneSettings['dtls'];
  log: Logger;
}

export const DEFAULT_CODECS = ['ulaw', 'alaw'];

function generateSecret(): string {
  return randomBytes(15).toString('base64url');
}

function generateSipUser(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

export function createTerminalsService(deps: TerminalsDeps): TerminalsService {
  // Read on every call (who is on a channel, which phones of an agent to ring): prepared once.
  const terminalBySipUser = deps.db
    .select()
    .from(terminals)
    .where(eq(terminals.sipUser, sql.placeholder('sipUser')))
    .prepare();
  const terminalsOfAgent = deps.db
    .select()
    .from(terminals)
    .where(eq(terminals.agentId, sql.placeholder('agentId')))
    .prepare();
  // The phones an agent is on (rung for every call to them, and their presence).
  // Asked for every call's channel, plain better-sqlite3: three columns, not the whole row.
  const seatOfSipUser = deps.db.$client.prepare<
    [string],
    { sipUser: string; agentId: number | null; hotDeskAgentId: number | null }
  >(
    'SELECT sip_user AS sipUser, agent_id AS agentId, hot_desk_agent_id AS hotDeskAgentId ' +
      'FROM terminals WHERE sip_user = ?',
  );
  // The agent's phones by name (plain better-sqlite3: no rows to build), asked to ring the agent
  // and on every change of their status: those linked to them and not taken by someone else's
  // hot-desk login, and the one they are hot-desked on.
  const phoneNamesOfAgent = deps.db.$client
    .prepare<[number, number], string>(
      'SELECT sip_user FROM terminals ' +
        'WHERE hot_desk_agent_id = ? OR (agent_id = ? AND hot_desk_agent_id IS NULL)',
    )
    .pluck();
  const { db, clock, secrets, provisioner, ari, ami, hub, log } = deps;
  const book = new RegistrationBook();
  const registeredNamesOfAgent = (agentId: number): string[] =>
    phoneNamesOfAgent.all(agentId, agentId).filter((sipUser) => book.isRegistered(sipUser));
  const listeners = new Set<(change: RegistrationChange) => void>();

  function identity(terminal: Pick<TerminalRow, 'agentId' | 'name' | 'sipUser'>): TerminalIdentity {
    if (terminal.agentId !== null) {
      const agent = db
        .select({ nickname: agents.nickname, extension: agents.extension })
        .from(agents)
        .where(eq(agents.id, terminal.agentId))
        .get();
      if (agent !== undefined) {
        return {
          callerIdName: agent.nickname,
          callerIdNumber: agent.extension ?? terminal.sipUser,
        };
      }
    }
    return { callerIdName: terminal.name, callerIdNumber: terminal.sipUser };
  }

  type TerminalSettings = Pick<
    TerminalRow,
    'sipUser' | 'name' | 'agentId' | 'codecs' | 'dtmfMode' | 'behindNat' | 'maxContacts' | 'webrtc'
  >;
  // A phone's REFER is the server's where the Asterisk connected hands it over (read on connect).
  const referToServer = () =>
    deps.sip.refer === 'auto' && handsTransfersToApplication(ari.asteriskVersion());
  /** Temporary passwords (the browser phone's credentials) by SIP user, in memory only. */
  const temporary = new Map<string, string>();
  const objectsOf = (t: TerminalSettings, secret: string) =>
    terminalObjects(
      t,
      temporary.get(t.sipUser) ?? secret,
      identity(t),
      deps.sip,
      referToServer(),
      deps.dtls,
    );
  const objectsOfRow = (t: TerminalRow) => objectsOf(t, secrets.open(t.secretSealed));

  provisioner.addSource({
    name: 'terminals',
    desired: () => db.select().from(terminals).all().map(objectsOfRow),
  });

  function view(row: TerminalRow): TerminalView {
    return {
      ...row,
      registered: book.isRegistered(row.sipUser),
      contacts: book.contactsOf(row.sipUser),
      provisioning: provisioner.state(row.sipUser),
    };
  }

  function getRow(id: number): TerminalRow {
    const row = db.select().from(terminals).where(eq(terminals.id, id)).get();
    if (row === undefined) throw notFound('Terminal');
    return row;
  }

  function assertAgent(agentId: number | null | undefined): void {
    if (agentId === null || agentId === undefined) return;
    const agent = db.select({ id: agents.id }).from(agents).where(eq(agents.id, agentId)).get();
    if (agent === undefined) throw unprocessable('unknown_agent', `There is no agent ${agentId}`);
  }

  function announce(terminal: TerminalRow, registered: boolean): void {
    const at = clock.now();
    const agentId = agentOnTerminal(terminal);
    log.info({ terminal: terminal.sipUser, registered }, 'terminal registration changed');
    hub.publish(
      'agents',
      'terminal_registration_changed',
      {
        terminalId: terminal.id,
        sipUser: terminal.sipUser,
        agentId,
        registered,
        at: at.toISOString(),
      },
      (p) =>
        p.permissions.has('realtime.view') ||
        p.permissions.has('terminals.view') ||
        (p.kind === 'agent' && p.id === agentId),
    );
    for (const listener of listeners) {
      try {
        listener({ terminal, registered });
      } catch (err) {
        log.error({ err }, 'registration listener failed');
      }
    }
  }

  function contactReport(sipUser: string, uri: string, status: string): void {
    const terminal = db.select().from(terminals).where(eq(terminals.sipUser, sipUser)).get();
    if (terminal === undefined) return;
    if (book.update(sipUser, uri, status, clock.now()))
      announce(terminal, book.isRegistered(sipUser));
  }

  async function snapshot(): Promise<void> {
    // Real registrations only (unlike PJSIPShowContacts, which also lists static contacts).
    const { events } = await ami.action(
      { Action: 'PJSIPShowRegistrationInboundContactStatuses' },
      { eventList: true },
    );
    const entries = events.flatMap((e) => {
      const aor = amiField(e, 'aor');
      const uri = amiField(e, 'uri');
      const status = amiField(e, 'status');
      return aor !== undefined && uri !== undefined
        ? [{ sipUser: aor, uri, status: status ?? 'Unknown' }]
        : [];
    });
    const changed = book.replaceAll(entries, clock.now());
    for (const sipUser of changed) {
      const terminal = db.select().from(terminals).where(eq(terminals.sipUser, sipUser)).get();
      if (terminal !== undefined) announce(terminal, book.isRegistered(sipUser));
    }
  }

  ari.onEvent((event) => {
    if (event.type === 'ContactStatusChange') {
      contactReport(
        event.contact_info.aor,
        event.contact_info.uri,
        event.contact_info.contact_status,
      );
    }
  });
  ami.onEvent((event) => {
    if (event.event === 'ContactStatus') {
      const aor = amiField(event, 'aor');
      const uri = amiField(event, 'uri');
      const status = amiField(event, 'contactstatus');
      if (aor !== undefined && uri !== undefined && status !== undefined)
        contactReport(aor, uri, status);
    }
  });
  // Contact events reach an application only for the endpoints it subscribed to, and Asterisk
  // refuses the subscription while no PJSIP endpoint exists: so subscribe once ours are pushed,
  // and again when the first terminal appears.
  let subscribed = false;
  async function subscribe(): Promise<void> {
    if (subscribed || ari.state() !== 'connected') return;
    try {
      await ari.applications.subscribe('endpoint:PJSIP');
      subscribed = true;
    } catch (err) {
      log.debug({ err }, 'endpoint events not subscribed yet');
    }
  }
  ari.onStateChange((state) => {
    subscribed = false;
    if (state !== 'connected') return;
    provisioner
      .resync()
      .then(subscribe)
      // Asterisk keeps registrations (contacts) in its own database across a restart, but lists
      // them only once their AOR exists again: so look again now that ours are pushed, or phones
      // that are still registered would pass for offline.
      .then(() => (ami.state() === 'connected' ? snapshot() : undefined))
      .catch((err: unknown) => log.error({ err }, 'terminal provisioning after connect failed'));
  });
  ami.onStateChange((state) => {
    if (state === 'connected') {
      snapshot().catch((err: unknown) => log.error({ err }, 'registration snapshot failed'));
    } else {
      // Asterisk unreachable: no registration is known any more.
      const lost = book.replaceAll([], clock.now());
      for (const sipUser of lost) {
        const terminal = db.select().from(terminals).where(eq(terminals.sipUser, sipUser)).get();
        if (terminal !== undefined) announce(terminal, false);
      }
    }
  });

  return {
    list({ limit, offset, sipUser, name, agentId, hotDeskAgentId }) {
      const conditions: (SQL | undefined)[] = [
        sipUser === undefined ? undefined : contains(terminals.sipUser, sipUser),
        name === undefined ? undefined : contains(terminals.name, name),
        agentId === undefined ? undefined : eq(terminals.agentId, agentId),
        hotDeskAgentId === undefined ? undefined : eq(terminals.hotDeskAgentId, hotDeskAgentId),
      ];
      const where = and(...conditions);
      const rows = db
        .select()
        .from(terminals)
        .where(where)
        .orderBy(terminals.id)
        .limit(limit)
        .offset(offset)
        .all();
      const total = countRows(db, terminals, where);
      return { items: rows.map(view), total };
    },

    get: (id) => view(getRow(id)),
    bySipUser: (sipUser) => terminalBySipUser.get({ sipUser }),
    seatOf: (sipUser) => seatOfSipUser.get(sipUser),
    ofAgent: (agentId) => terminalsOfAgent.all({ agentId }),
    registeredNamesOfAgent,
    agentReachable: (agentId) => registeredNamesOfAgent(agentId).length > 0,
    isRegistered: (sipUser) => book.isRegistered(sipUser),
    hotDeskOf: (agentId) =>
      db.select().from(terminals).where(eq(terminals.hotDeskAgentId, agentId)).get(),

    hotDeskLogin(terminalId, agentId) {
      assertAgent(agentId);
      return db.transaction((tx) => {
        const before = tx.select().from(terminals).where(eq(terminals.id, terminalId)).get();
        if (before === undefined) throw notFound('Terminal');
        const released = tx
          .select()
          .from(terminals)
          .where(and(eq(terminals.hotDeskAgentId, agentId), ne(terminals.id, terminalId)))
          .get();
        if (released !== undefined)
          tx.update(terminals)
            .set({ hotDeskAgentId: null, hotDeskSince: null })
            .where(eq(terminals.id, released.id))
            .run();
        const terminal = tx
          .update(terminals)
          .set({ hotDeskAgentId: agentId, hotDeskSince: clock.now() })
          .where(eq(terminals.id, terminalId))
          .returning()
          .get();
        const replaced = before.hotDeskAgentId;
        return {
          terminal,
          released,
          replacedAgentId: replaced === null || replaced === agentId ? null : replaced,
        };
      });
    },

    hotDeskLogout(terminalId) {
      const before = getRow(terminalId);
      if (before.hotDeskAgentId === null) return undefined;
      db.update(terminals)
        .set({ hotDeskAgentId: null, hotDeskSince: null })
        .where(eq(terminals.id, terminalId))
        .run();
      return before;
    },

    async create(input, actor) {
      const sipUser = input.sipUser ?? generateSipUser();
      if (
        db
          .select({ id: terminals.id })
          .from(terminals)
          .where(eq(terminals.sipUser, sipUser))
          .get() !== undefined
      ) {
        throw conflict('sip_user_taken', `The terminal ID ${sipUser} is in use`);
      }
      assertAgent(input.agentId);
      const secret = input.secret ?? generateSecret();
      const values = {
        sipUser,
        name: input.name,
        agentId: input.agentId ?? null,
        codecs: input.codecs ?? DEFAULT_CODECS,
        dtmfMode: input.dtmfMode ?? 'rfc4733',
        behindNat: input.behindNat ?? true,
        maxContacts: input.maxContacts ?? 1,
        webrtc: input.webrtc ?? false,
      } satisfies Omit<
        TerminalRow,
        'id' | 'secretSealed' | 'hotDeskAgentId' | 'hotDeskSince' | keyof ReturnType<typeof created>
      >;
      // Into Asterisk first: a phone Asterisk refuses is not stored at all.
      await provisioner.apply(objectsOf(values, secret));
      const row = db
        .insert(terminals)
        .values({ ...values, secretSealed: secrets.seal(secret), ...created(actor, clock.now()) })
        .returning()
        .get();
      await subscribe();
      return { terminal: view(row), secret };
    },

    async update(id, patch, actor) {
      const before = getRow(id);
      assertAgent(patch.agentId);
      const secret = patch.regenerateSecret === true ? generateSecret() : patch.secret;
      const changes = {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.agentId !== undefined && { agentId: patch.agentId }),
        ...(patch.codecs !== undefined && { codecs: patch.codecs }),
        ...(patch.dtmfMode !== undefined && { dtmfMode: patch.dtmfMode }),
        ...(patch.behindNat !== undefined && { behindNat: patch.behindNat }),
        ...(patch.maxContacts !== undefined && { maxContacts: patch.maxContacts }),
        ...(patch.webrtc !== undefined && { webrtc: patch.webrtc }),
      };
      // A browser phone's credential is its agent's, for a WebRTC terminal: it ends with either.
      const dropTemporary =
        (changes.agentId !== undefined && changes.agentId !== before.agentId) ||
        changes.webrtc === false;
      const held = temporary.get(before.sipUser);
      if (dropTemporary) temporary.delete(before.sipUser);
      await provisioner
        .apply(
          objectsOf({ ...before, ...changes }, secret ?? secrets.open(before.secretSealed)),
          objectsOfRow(before),
        )
        .catch((err: unknown) => {
          if (held !== undefined && dropTemporary) temporary.set(before.sipUser, held);
          throw err;
        });
      const row = db
        .update(terminals)
        .set({
          ...changes,
          ...(secret !== undefined && { secretSealed: secrets.seal(secret) }),
          ...updated(actor, clock.now()),
        })
        .where(eq(terminals.id, id))
        .returning()
        .get();
      // A terminal moved to another agent changes both agents' presence.
      if (before.agentId !== row.agentId && book.isRegistered(row.sipUser)) {
        if (before.agentId !== null) announce(before, false);
        announce(row, true);
      }
      return patch.regenerateSecret === true && secret !== undefined
        ? { terminal: view(row), secret }
        : { terminal: view(row) };
    },

    async remove(id) {
      const row = getRow(id);
      db.delete(terminals).where(eq(terminals.id, id)).run();
      temporary.delete(row.sipUser);
      await provisioner.remove(row.sipUser);
      if (book.forget(row.sipUser)) announce(row, false);
    },

    async useTemporaryPassword(terminalId, password) {
      const row = getRow(terminalId);
      const before = objectsOfRow(row);
      const held = temporary.get(row.sipUser);
      temporary.set(row.sipUser, password);
      try {
        return await provisioner.apply(objectsOfRow(row), before);
      } catch (err) {
        if (held === undefined) temporary.delete(row.sipUser);
        else temporary.set(row.sipUser, held);
        throw err;
      }
    },

    async withdrawTemporaryPassword(terminalId, password) {
      const row = db.select().from(terminals).where(eq(terminals.id, terminalId)).get();
      if (row === undefined || temporary.get(row.sipUser) !== password) return;
      const before = objectsOfRow(row);
      temporary.delete(row.sipUser);
      await provisioner.apply(objectsOfRow(row), before);
    },

    onRegistrationChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
